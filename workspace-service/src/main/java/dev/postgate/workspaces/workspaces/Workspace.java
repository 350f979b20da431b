package dev.postgate.workspaces.workspaces;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A workspace of an organisation, with its credit balance. Deletion is soft: {@code deletedAt}. */
@Entity
@Table(name = "workspaces")
public class Workspace {
    @Id
    public String id;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String name;

    /** Changed only under a row lock, together with a ledger entry. */
    @Column(nullable = false)
    public long balance;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    public Instant deletedAt;

    public boolean deleted() {
        return deletedAt != null;
    }
}
