package dev.postgate.workspaces.accounts;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A social-network account connected to a workspace; disconnecting keeps the row ({@code disconnectedAt}). */
@Entity
@Table(name = "social_accounts")
public class SocialAccount {
    @Id
    public String id;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String platform;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String health;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    public Instant disconnectedAt;

}
