package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.api.Ids;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.workspaces.Checks;
import dev.postgate.workspaces.JsonFields;
import dev.postgate.workspaces.credits.CreditViews.ReservationStatusView;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.workspaces.WorkspaceRepository;
import dev.postgate.workspaces.workspaces.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Credit reservations for service callers (SPEC section 7). A reserve is one SQL statement that
 * holds the workspace's row lock for itself alone ({@link ReservationRepository#RESERVE}), for every
 * reserve waiting on that workspace ({@link ReserveBatches}). Settle and refund lock the
 * reservation, then its workspace (the expiry job locks in the same order), and happen at most
 * once each; a settle may keep part of the reservation and refund the rest.
 */
@ApplicationScoped
public class ReservationService {
    static final int MAX_REFERENCE = 200;
    static final int MAX_IDEMPOTENCY_KEY = 255;
    static final String SYSTEM = "system";
    private static final Set<String> FIELDS = Set.of("workspace_id", "amount", "idempotency_key", "reference");

    @Inject
    ReservationRepository reservations;

    @Inject
    ReserveBatches batches;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    Ledger ledger;

    @Inject
    CreditsConfig config;

    record ReserveRequest(String workspaceId, long amount, String idempotencyKey, String reference) {
    }

    /**
     * One statement holds the workspace's row lock (SPEC section 7, issue 13): a conditional
     * update of the balance that also writes the reservation, its ledger entry and, when the
     * balance falls below the low-balance threshold, the {@code credits.low} event; concurrent
     * reserves on one workspace share that statement ({@link ReserveBatches}). A retry of a
     * committed reserve reserves nothing and is answered from the earlier reservation; concurrent
     * retries meet at the unique idempotency key (the loser reserves nothing).
     */
    public Uni<ReservedView> reserve(Caller caller, JsonNode body) {
        ReserveRequest request = parse(body);
        return reserve(caller, request, 5);
    }

    private Uni<ReservedView> reserve(Caller caller, ReserveRequest request, int triesLeft) {
        ReservationRepository.NewReservation reservation = new ReservationRepository.NewReservation(Ids.newId("res"),
                request.amount(), request.idempotencyKey(), request.reference(), caller.actor(), Ids.newId("led"));
        return batches.reserve(request.workspaceId(), reservation)
                .chain(reserved -> reserved != null ? Uni.createFrom().item(reserved) : whyNot(caller, request, triesLeft));
    }

    /** Nothing was reserved: a replay of an earlier reserve, 404, 402, or (a balance that changed meanwhile) another try. */
    private Uni<ReservedView> whyNot(Caller caller, ReserveRequest request, int triesLeft) {
        return reservations.findEarlier(request.idempotencyKey()).chain(earlier -> {
            if (earlier != null) {
                if (!earlier.workspaceId().equals(request.workspaceId()) || earlier.amount() != request.amount()
                        || !Objects.equals(earlier.reference(), request.reference())) {
                    throw ConflictException.idempotency("This idempotency_key was already used for a reservation with a "
                            + "different workspace_id, amount or reference.");
                }
                return Uni.createFrom().item(earlier.view());
            }
            return reservations.liveBalance(request.workspaceId()).chain(balance -> {
                if (balance == null) {
                    throw WorkspaceService.notFound(request.workspaceId());
                }
                if (balance < request.amount() || triesLeft <= 1) {
                    throw new InsufficientCreditsException(request.amount(), balance);
                }
                return reserve(caller, request, triesLeft - 1);
            });
        });
    }

    /**
     * Marks the work paid for (SPEC section 7): {@code amount} (0 to the reserved amount; all of it
     * when absent) is kept and the rest refunded, once and for all. A repeat with the same amount
     * answers the same; another amount, a refunded reservation or one past its {@code expires_at}
     * is 409 (the caller reserves again before the work goes out).
     */
    @WithTransaction
    public Uni<ReservationStatusView> settle(Caller caller, String id, JsonNode body) {
        Long requested = settleAmount(body);
        return lock(id).chain(reservation -> {
            long amount = requested == null ? reservation.amount : requested;
            if (amount > reservation.amount) {
                throw ValidationException.invalid("amount", "amount is at most the reserved amount, " + reservation.amount + ".");
            }
            return switch (reservation.status) {
                case Reservation.SETTLED -> {
                    long settled = reservation.settledAmount == null ? reservation.amount : reservation.settledAmount;
                    if (settled != amount) {
                        throw new ConflictException("Reservation " + id + " was already settled for " + settled
                                + " credits; a settle is final.");
                    }
                    yield current(reservation);
                }
                case Reservation.REFUNDED -> throw new ConflictException("Reservation " + id + " was refunded; it cannot be settled.");
                default -> {
                    if (!reservation.expiresAt.isAfter(Checks.now())) {
                        throw new ConflictException("Reservation " + id + " expired at " + reservation.expiresAt
                                + " and is refunded; reserve again before the work goes out.");
                    }
                    reservation.settledAmount = amount;
                    Ledger.Change settle = new Ledger.Change(LedgerEntry.SETTLE, 0, "reservation settled", reservation.reference,
                            caller.actor(), null, reservation.id);
                    Ledger.Change rest = amount == reservation.amount ? null : new Ledger.Change(LedgerEntry.REFUND,
                            reservation.amount - amount, "unused part of the reservation refunded", reservation.reference,
                            caller.actor(), null, reservation.id);
                    yield close(reservation, Reservation.SETTLED, settle, rest);
                }
            };
        });
    }

    /** The settle body's amount: null when absent (settle all), 0 to the maximum otherwise (422 naming the field). */
    private Long settleAmount(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        Map<String, JsonNode> fields = JsonFields.of(body, Set.of("amount"));
        JsonNode value = fields.get("amount");
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() == 0) {
            return 0L;
        }
        List<FieldError> errors = new ArrayList<>();
        Long amount = Amounts.whole("amount", value, config.maxAmount(), errors);
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(List.of(new FieldError("amount",
                    "amount must be a whole number from 0 to the reserved amount.")));
        }
        return amount;
    }

    /** Gives the credits back; refunding a refunded reservation answers the same, a settled one is 409. */
    @WithTransaction
    public Uni<ReservationStatusView> refund(Caller caller, String id) {
        return lock(id).chain(reservation -> switch (reservation.status) {
            case Reservation.REFUNDED -> current(reservation);
            case Reservation.SETTLED -> throw new ConflictException("Reservation " + id + " was settled; it cannot be refunded.");
            default -> close(reservation, Reservation.REFUNDED, new Ledger.Change(LedgerEntry.REFUND, reservation.amount,
                    "reservation refunded", reservation.reference, caller.actor(), null, reservation.id));
        });
    }

    /** Refunds reservations past their timeout (ledger actor "system", reason "reservation expired"). */
    @WithTransaction
    public Uni<Integer> expireDue(int max) {
        return reservations.lockDueForExpiry(Checks.now(), max).chain(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Reservation reservation : due) {
                chain = chain.call(() -> close(reservation, Reservation.REFUNDED, new Ledger.Change(LedgerEntry.REFUND,
                        reservation.amount, "reservation expired", reservation.reference, SYSTEM, null, reservation.id)));
            }
            return chain.replaceWith(due.size());
        });
    }

    private Uni<ReservationStatusView> close(Reservation reservation, String status, Ledger.Change change) {
        return close(reservation, status, change, null);
    }

    /** Applies {@code change} (and {@code then}, when not null) under the workspace's lock and closes the reservation. */
    private Uni<ReservationStatusView> close(Reservation reservation, String status, Ledger.Change change, Ledger.Change then) {
        Instant now = Checks.now();
        return workspaces.lockAny(reservation.workspaceId)
                .call(workspace -> ledger.apply(workspace, change, now))
                .call(workspace -> then == null ? Uni.createFrom().voidItem() : ledger.apply(workspace, then, now))
                .map(workspace -> {
                    reservation.status = status;
                    reservation.updatedAt = now;
                    return new ReservationStatusView(reservation.id, status, workspace.balance);
                });
    }

    private Uni<ReservationStatusView> current(Reservation reservation) {
        return workspaces.findById(reservation.workspaceId)
                .map(workspace -> new ReservationStatusView(reservation.id, reservation.status, workspace.balance));
    }

    private Uni<Reservation> lock(String id) {
        return reservations.lock(id).onItem().ifNull().failWith(() -> new NotFoundException("Reservation " + id));
    }

    private ReserveRequest parse(JsonNode body) {
        Map<String, JsonNode> fields = JsonFields.of(body, FIELDS);
        List<FieldError> errors = new ArrayList<>();
        String workspaceId = JsonFields.text(fields, "workspace_id");
        if (workspaceId == null || workspaceId.isBlank()) {
            errors.add(new FieldError("workspace_id", "workspace_id is required."));
        }
        Long amount = Amounts.whole("amount", fields.get("amount"), config.maxAmount(), errors);
        String key = JsonFields.text(fields, "idempotency_key");
        if (key == null || key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY) {
            errors.add(new FieldError("idempotency_key", "idempotency_key is required (1 to " + MAX_IDEMPOTENCY_KEY
                    + " characters): a retry with the same key gets the same reservation."));
        }
        String reference = Checks.text("reference", JsonFields.text(fields, "reference"), MAX_REFERENCE, false, errors);
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
        return new ReserveRequest(workspaceId, amount, key, reference);
    }
}
