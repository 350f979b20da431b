package dev.postgate.keys.keys;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One change of a key: who did what, when, under which request. */
@Entity
@Table(name = "key_audit")
public class AuditEntry {
    @Id
    public String id;

    @Column(nullable = false)
    public String keyId;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String actor;

    public String requestId;

    @Column(nullable = false)
    public Instant occurredAt;

    /** JSON object with what changed (never the key or its hash). */
    @Column(nullable = false)
    public String details;
}
