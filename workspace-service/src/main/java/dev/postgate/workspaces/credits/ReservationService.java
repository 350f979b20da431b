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
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.Checks;
import dev.postgate.workspaces.JsonFields;
import dev.postgate.workspaces.credits.CreditViews.ReservationStatusView;
import dev.postgate.workspaces.credits.CreditViews.ReservedAllView;
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
    TimeSource time;

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

    @Inject
    OutboxRelay relay;

    record ReserveRequest(String workspaceId, long amount, String idempotencyKey, String reference) {
    }

    /** The most reserves one {@link #reserveAll} carries. */
    static final int MAX_ITEMS = 100;
    private static final Set<String> ALL_FIELDS = Set.of("workspace_id", "items");
    private static final Set<String> ITEM_FIELDS = Set.of("amount", "idempotency_key", "reference");

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

    /**
     * Several reserves on one workspace at once, all or nothing (SPEC section 7's batch form,
     * issue 13): one statement reserves every item whose idempotency key is new if the balance pays
     * for all of them, else none (402 with the sum of those items, nothing changed). Items whose key
     * was used before are answered from their earlier reservation, as a single reserve's replay is.
     * Answers in the order of the items.
     */
    public Uni<ReservedAllView> reserveAll(Caller caller, JsonNode body) {
        List<ReserveRequest> items = parseAll(body);
        return reserveAll(caller, items, 5);
    }

    private Uni<ReservedAllView> reserveAll(Caller caller, List<ReserveRequest> items, int triesLeft) {
        String workspaceId = items.get(0).workspaceId();
        Instant now = time.now();
        List<ReservationRepository.NewReservation> fresh = items.stream().map(item -> new ReservationRepository.NewReservation(
                Ids.newId("res"), item.amount(), item.idempotencyKey(), item.reference(), caller.actor(), Ids.newId("led"))).toList();
        ReservationRepository.ReserveBatch batch = new ReservationRepository.ReserveBatch(workspaceId, fresh, now,
                now.plus(config.reservationTimeout()), config.lowBalanceThreshold(), Ids.newId("evt"), true);
        return reservations.reserve(batch)
                .onFailure(ReservationRepository::isIdempotencyKeyTaken)
                .recoverWithItem(() -> new ReservationRepository.Reserved(Map.of(), false))
                .chain(reserved -> {
                    if (reserved.lowBalanceEvent()) {
                        relay.wake();
                    }
                    if (reserved.byIdempotencyKey().size() == items.size()) {
                        return Uni.createFrom().item(ReservedAllView.of(items.stream()
                                .map(item -> reserved.byIdempotencyKey().get(item.idempotencyKey())).toList()));
                    }
                    List<String> missing = items.stream().map(ReserveRequest::idempotencyKey)
                            .filter(key -> !reserved.byIdempotencyKey().containsKey(key)).toList();
                    return reservations.findEarlier(missing).chain(earlier -> {
                        List<ReservedView> answers = new ArrayList<>();
                        long unpaid = 0;
                        for (ReserveRequest item : items) {
                            ReservedView view = reserved.byIdempotencyKey().get(item.idempotencyKey());
                            ReservationRepository.Earlier before = earlier.get(item.idempotencyKey());
                            if (view == null && before != null) {
                                checkSameReserve(before, item);
                                view = before.view();
                            }
                            if (view == null) {
                                unpaid += item.amount();
                            }
                            answers.add(view);
                        }
                        if (unpaid == 0) {
                            return Uni.createFrom().item(ReservedAllView.of(answers));
                        }
                        long required = unpaid;
                        return reservations.liveBalance(workspaceId).chain(balance -> {
                            if (balance == null) {
                                throw WorkspaceService.notFound(workspaceId);
                            }
                            if (balance < required || triesLeft <= 1) {
                                throw new InsufficientCreditsException(required, balance);
                            }
                            return reserveAll(caller, items, triesLeft - 1);
                        });
                    });
                });
    }

    private static void checkSameReserve(ReservationRepository.Earlier earlier, ReserveRequest request) {
        if (!earlier.workspaceId().equals(request.workspaceId()) || earlier.amount() != request.amount()
                || !Objects.equals(earlier.reference(), request.reference())) {
            throw ConflictException.idempotency("This idempotency_key was already used for a reservation with a "
                    + "different workspace_id, amount or reference.");
        }
    }

    /** Nothing was reserved: a replay of an earlier reserve, 404, 402, or (a balance that changed meanwhile) another try. */
    private Uni<ReservedView> whyNot(Caller caller, ReserveRequest request, int triesLeft) {
        return reservations.findEarlier(request.idempotencyKey()).chain(earlier -> {
            if (earlier != null) {
                checkSameReserve(earlier, request);
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
    public Uni<ReservationStatusView> settle(Caller caller, String id, JsonNode body) {
        Long requested = settleAmount(body);
        return reservations.settleInOneStatement(id, requested, time.now(), caller.actor())
                .chain(closed -> closed != null
                        ? Uni.createFrom().item(new ReservationStatusView(closed.id(), Reservation.SETTLED, closed.balance()))
                        : settleOtherwise(caller, id, requested));
    }

    /**
     * A settle the one statement did not make ({@link ReservationRepository#SETTLE}): a repeat, a
     * refunded or expired reservation, an amount above the reservation, an unknown id. Under the
     * same locks, this works out the answer (and still settles a held reservation, as a safety net
     * for a case the statement missed).
     */
    @WithTransaction
    Uni<ReservationStatusView> settleOtherwise(Caller caller, String id, Long requested) {
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
                    if (!reservation.expiresAt.isAfter(time.now())) {
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

    /**
     * Gives the credits back, in one statement while the reservation is held
     * ({@link ReservationRepository#REFUND}); refunding a refunded reservation answers the same, a
     * settled one is 409.
     */
    public Uni<ReservationStatusView> refund(Caller caller, String id) {
        return reservations.refundInOneStatement(id, time.now(), caller.actor())
                .chain(closed -> closed != null
                        ? Uni.createFrom().item(new ReservationStatusView(closed.id(), Reservation.REFUNDED, closed.balance()))
                        : refundOtherwise(caller, id));
    }

    /** A refund the one statement did not make: a repeat (the same answer), a settled reservation (409), an unknown id (404). */
    @WithTransaction
    Uni<ReservationStatusView> refundOtherwise(Caller caller, String id) {
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
        return reservations.lockDueForExpiry(time.now(), max).chain(due -> {
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
        Instant now = time.now();
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

    /** The batch body: {@code workspace_id} and 1 to {@value #MAX_ITEMS} items with distinct idempotency keys (422 naming the field). */
    private List<ReserveRequest> parseAll(JsonNode body) {
        Map<String, JsonNode> fields = JsonFields.of(body, ALL_FIELDS);
        List<FieldError> errors = new ArrayList<>();
        String workspaceId = JsonFields.text(fields, "workspace_id");
        if (workspaceId == null || workspaceId.isBlank()) {
            errors.add(new FieldError("workspace_id", "workspace_id is required."));
        }
        JsonNode items = fields.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            errors.add(new FieldError("items", "items is required: an array of 1 to " + MAX_ITEMS
                    + " objects {amount, idempotency_key, reference}."));
            throw ValidationException.invalid(errors);
        }
        List<ReserveRequest> requests = new ArrayList<>();
        Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "].";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError("items[" + i + "]", "Each item is an object {amount, idempotency_key, reference}."));
                continue;
            }
            Map<String, JsonNode> itemFields = JsonFields.of(item, ITEM_FIELDS);
            List<FieldError> itemErrors = new ArrayList<>();
            Long amount = Amounts.whole("amount", itemFields.get("amount"), config.maxAmount(), itemErrors);
            String key = JsonFields.text(itemFields, "idempotency_key");
            if (key == null || key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY) {
                itemErrors.add(new FieldError("idempotency_key", "idempotency_key is required (1 to " + MAX_IDEMPOTENCY_KEY
                        + " characters), distinct within the batch."));
            } else if (!keys.add(key)) {
                itemErrors.add(new FieldError("idempotency_key", "idempotency_key '" + key + "' appears twice in this batch."));
            }
            String reference = Checks.text("reference", JsonFields.text(itemFields, "reference"), MAX_REFERENCE, false, itemErrors);
            itemErrors.forEach(e -> errors.add(new FieldError(at + e.field(), e.message())));
            requests.add(new ReserveRequest(workspaceId, amount == null ? 0 : amount, key, reference));
        }
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
        return requests;
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
