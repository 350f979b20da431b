package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.postgate.common.client.InternalLimits;
import dev.postgate.common.idempotency.IdempotencyFilters;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the credit API (JSON, snake_case); amounts are {@link Amount}s. */
public final class CreditViews {
    private CreditViews() {
    }

    static final int MAX_REFERENCE = 200;

    static final int MAX_REASON = 200;

    public record GrantRequest(@NotNull(message = "is required") @WholeCredits Amount amount,
            @NotBlank(message = "is required") @Text(max = MAX_REASON, shownToAll = true) String reason) {
    }

    /** One reserve: a retry with the same idempotency key gets the same reservation. */
    public record ReserveRequest(@NotBlank(message = "is required") String workspaceId,
            @NotNull(message = "is required") @WholeCredits Amount amount,
            @NotEmpty(message = IDEMPOTENCY_KEY_RULE) @Size(max = IdempotencyFilters.MAX_KEY,
                    message = IDEMPOTENCY_KEY_RULE) String idempotencyKey,
            @Text(max = MAX_REFERENCE) String reference) {
    }

    /** Several reserves on one workspace, all or nothing; idempotency keys distinct within the batch. */
    public record ReserveAllRequest(@NotBlank(message = "is required") String workspaceId,
            @NotNull(message = ITEMS_RULE) @Size(min = 1, max = InternalLimits.RESERVATIONS, message = ITEMS_RULE)
            List<@NotNull(message = "is an object {amount, idempotency_key, reference}") @Valid ReserveItem> items) {
    }

    public record ReserveItem(@NotNull(message = "is required") @WholeCredits Amount amount,
            @NotEmpty(message = IDEMPOTENCY_KEY_RULE) @Size(max = IdempotencyFilters.MAX_KEY,
                    message = IDEMPOTENCY_KEY_RULE) String idempotencyKey,
            @Text(max = MAX_REFERENCE) String reference) {
    }

    /** A settle keeps {@code amount} credits (all of the reservation when absent, or with no body). */
    public record SettleRequest(@WholeCredits(min = 0) Amount amount) {
    }

    static final String IDEMPOTENCY_KEY_RULE = "is required (1 to " + IdempotencyFilters.MAX_KEY
            + " characters): a retry with the same key gets the same reservation";
    static final String ITEMS_RULE = "is required: a list of 1 to " + InternalLimits.RESERVATIONS
            + " objects {amount, idempotency_key, reference}";

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
