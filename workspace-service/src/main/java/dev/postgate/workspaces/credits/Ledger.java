package dev.postgate.workspaces.credits;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.workspaces.workspaces.Workspace;
import io.smallrye.mutiny.Uni;

/**
 * Where credits are granted or given back (grants, settles, refunds): the caller holds the
 * workspace's row lock; the balance and one ledger entry change together in its transaction.
 * Credits are taken only by the reserve statement ({@link ReservationRepository#RESERVE}), which
 * is also the only place the balance can fall below the low-balance threshold ({@code credits.low}).
 */
@ApplicationScoped
public class Ledger {
    @Inject
    LedgerRepository entries;

    /** A change of the balance of a locked workspace by {@code amount}: 0 (a settle's entry) or more. */
    public record Change(LedgerKind kind, long amount, String reason, String reference, String actor, String idempotencyKey,
            String reservationId) {
    }

    public Uni<LedgerEntry> apply(Workspace workspace, Change change, Instant at) {
        if (change.amount() < 0) {
            throw new IllegalArgumentException("credits are taken by the reserve statement only, not by " + change.kind().wire());
        }
        long after = Math.addExact(workspace.balance, change.amount());
        workspace.balance = after;
        workspace.updatedAt = at;
        LedgerEntry entry = new LedgerEntry();
        entry.id = Ids.newId(Ids.LEDGER_ENTRY);
        entry.workspaceId = workspace.id;
        entry.orgId = workspace.orgId;
        entry.kind = change.kind().wire();
        entry.amount = change.amount();
        entry.balanceAfter = after;
        entry.reason = change.reason();
        entry.reference = change.reference();
        entry.actor = change.actor();
        entry.idempotencyKey = change.idempotencyKey();
        entry.reservationId = change.reservationId();
        entry.createdAt = at;
        return entries.persist(entry);
    }
}
