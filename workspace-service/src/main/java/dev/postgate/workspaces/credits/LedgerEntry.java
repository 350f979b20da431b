package dev.postgate.workspaces.credits;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One change of a workspace balance, never updated or deleted. {@code amount} is signed (grant
 * +n, reserve -n, settle 0, refund +n), so a workspace's entries sum to its balance.
 */
@Entity
@Table(name = "credit_ledger")
public class LedgerEntry {
    @Id
    public String id;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String orgId;

    /** A {@link LedgerKind}, as stored. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public long balanceAfter;

    @Column
    public String reason;

    @Column
    public String reference;

    @Column(nullable = false)
    public String actor;

    public String idempotencyKey;

    public String reservationId;

    @Column(nullable = false)
    public Instant createdAt;

    /**
     * The order entries changed their workspace's balance in: the database takes it as it inserts
     * the entry, under the workspace's row lock (an id is made before its change waits for that lock).
     */
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** The reasons of the entries a reservation writes, as the ledger shows them (one statement or Java alike). */
    public static final String RESERVED_REASON = "credits reserved";
    public static final String SETTLED_REASON = "reservation settled";
    public static final String REST_REFUNDED_REASON = "unused part of the reservation refunded";
    public static final String REFUNDED_REASON = "reservation refunded";
    public static final String EXPIRED_REASON = "reservation expired";
}
