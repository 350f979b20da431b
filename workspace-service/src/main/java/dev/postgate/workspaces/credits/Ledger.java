package dev.postgate.workspaces.credits;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.workspaces.events.WorkspaceEvents;
import dev.postgate.workspaces.workspaces.Workspace;
import io.smallrye.mutiny.Uni;

/**
 * The only place a balance changes: the caller holds the workspace's row lock; the balance and
 * one ledger entry change together in its transaction, and a fall below the low-balance
 * threshold adds a {@code credits.low} event to the outbox in the same transaction.
 */
@ApplicationScoped
public class Ledger {
    @Inject
    LedgerRepository entries;

    @Inject
    WorkspaceEvents events;

    @Inject
    CreditsConfig config;

    /** A change of the balance of a locked workspace by {@code amount} (negative for a reserve). */
    public record Change(String kind, long amount, String reason, String reference, String actor, String idempotencyKey,
            String reservationId) {
    }

    public Uni<LedgerEntry> apply(Workspace workspace, Change change, Instant at) {
        long before = workspace.balance;
        long after = Math.addExact(before, change.amount());
        if (after < 0) {
            // Callers check the balance first (402); reaching this is a bug, and the DB check would refuse it too.
            throw new IllegalStateException("balance of " + workspace.id + " would go below 0");
        }
        workspace.balance = after;
        workspace.updatedAt = at;
        LedgerEntry entry = new LedgerEntry();
        entry.id = Ids.newId("led");
        entry.workspaceId = workspace.id;
        entry.orgId = workspace.orgId;
        entry.kind = change.kind();
        entry.amount = change.amount();
        entry.balanceAfter = after;
        entry.reason = change.reason();
        entry.reference = change.reference();
        entry.actor = change.actor();
        entry.idempotencyKey = change.idempotencyKey();
        entry.reservationId = change.reservationId();
        entry.createdAt = at;
        long threshold = config.lowBalanceThreshold();
        Uni<LedgerEntry> persisted = entries.persist(entry);
        if (before >= threshold && after < threshold) {
            return persisted.call(() -> events.creditsLow(workspace.id, workspace.orgId, workspace.balance, threshold, at));
        }
        return persisted;
    }
}
