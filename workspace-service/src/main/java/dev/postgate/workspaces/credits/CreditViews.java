package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.List;

/** Response bodies of the credit API (JSON, snake_case). Requests are read as JSON trees (see {@link Amounts}). */
public final class CreditViews {
    private CreditViews() {
    }

    public record BalanceView(String workspaceId, long balance) {
    }

    public record LedgerEntryView(String id, String kind, long amount, long balanceAfter, String reason, String reference,
            String actor, Instant createdAt) {

        public static LedgerEntryView of(LedgerEntry entry) {
            return new LedgerEntryView(entry.id, entry.kind, entry.amount, entry.balanceAfter, entry.reason, entry.reference,
                    entry.actor, entry.createdAt);
        }
    }

    public record WorkspaceCredits(String workspaceId, String name, long balance) {
    }

    public record AccountCredits(long total, List<WorkspaceCredits> workspaces) {
    }

    /**
     * The answer to a reserve; a replay gets the same id, balance and expires_at, with the
     * reservation's status now (a caller must not do the work on a refunded or settled one).
     */
    public record ReservedView(String id, long balance, Instant expiresAt, String status) {
    }

    /**
     * The answer to a batch of reserves: each item's reservation in the order asked, and the
     * lowest balance among them (the balance right after the last of them, when all are new).
     */
    public record ReservedAllView(long balance, List<ReservedView> items) {
        public static ReservedAllView of(List<ReservedView> items) {
            return new ReservedAllView(items.stream().mapToLong(ReservedView::balance).min().orElse(0), items);
        }
    }

    /** The answer to a settle or a refund (and to their replays): the current balance. */
    public record ReservationStatusView(String id, String status, long balance) {
    }
}
