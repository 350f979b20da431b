package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.NothingReservedException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.validation.Violations;
import dev.postgate.common.workspaces.ReservationStatus;
import dev.postgate.workspaces.credits.CreditViews.ReservationStatusView;
import dev.postgate.workspaces.credits.CreditViews.ReserveAllRequest;
import dev.postgate.workspaces.credits.CreditViews.ReserveRequest;
import dev.postgate.workspaces.credits.CreditViews.ReservedAllView;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.credits.CreditViews.SettleRequest;
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

    /** How often a reserve is tried while the balance it found short keeps changing under it. */
    private static final int MAX_TRIES = 5;

    /** One reserve as the statement takes it. */
    record Reserve(String workspaceId, long amount, String idempotencyKey, String reference) {

        /** The rows this reserve writes if it is new, under fresh ids, made by {@code actor}. */
        ReservationRepository.NewReservation fresh(String actor) {
            return new ReservationRepository.NewReservation(Ids.newId(Ids.RESERVATION), amount, idempotencyKey, reference, actor,
                    Ids.newId(Ids.LEDGER_ENTRY));
        }
    }

    /**
     * One statement holds the workspace's row lock (SPEC section 7, issue 13): a conditional
     * update of the balance that also writes the reservation, its ledger entry and, when the
     * balance falls below the low-balance threshold, the {@code credits.low} event; concurrent
     * reserves on one workspace share that statement ({@link ReserveBatches}). A retry of a
     * committed reserve reserves nothing and is answered from the earlier reservation; concurrent
     * retries meet at the unique idempotency key (the loser reserves nothing).
     */
    public Uni<ReservedView> reserve(Caller caller, ReserveRequest body) {
        return reserve(caller, new Reserve(body.workspaceId(), body.amount().credits(), body.idempotencyKey(), body.reference()), MAX_TRIES);
    }

    private Uni<ReservedView> reserve(Caller caller, Reserve request, int triesLeft) {
        return batches.reserve(request.workspaceId(), request.fresh(caller.actor()))
                .chain(reserved -> reserved != null ? Uni.createFrom().item(reserved) : whyNot(caller, request, triesLeft));
    }

    /**
     * Several reserves on one workspace at once, all or nothing (SPEC section 7's batch form,
     * issue 13): one statement reserves every item whose idempotency key is new if the balance pays
     * for all of them, else none (402 with the sum of those items, nothing changed). Items whose key
     * was used before are answered from their earlier reservation, as a single reserve's replay is;
     * if one was used for another workspace, amount or reference, nothing is reserved and the
     * answer is 409.
     * Answers in the order of the items.
     */
    public Uni<ReservedAllView> reserveAll(Caller caller, ReserveAllRequest body) {
        Violations.checkNoRepeats(body.items().stream().map(CreditViews.ReserveItem::idempotencyKey).toList(),
                i -> "items[" + i + "].idempotency_key");
        List<Reserve> items = body.items().stream()
                .map(item -> new Reserve(body.workspaceId(), item.amount().credits(), item.idempotencyKey(), item.reference()))
                .toList();
        return reserveAll(caller, items, MAX_TRIES);
    }

    private Uni<ReservedAllView> reserveAll(Caller caller, List<Reserve> items, int triesLeft) {
        String workspaceId = items.get(0).workspaceId();
        List<ReservationRepository.NewReservation> fresh = items.stream().map(item -> item.fresh(caller.actor())).toList();
        ReservationRepository.ReserveBatch batch = ReservationRepository.ReserveBatch.at(time.now(), config, workspaceId, fresh, true);
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
                    List<String> missing = items.stream().map(Reserve::idempotencyKey)
                            .filter(key -> !reserved.byIdempotencyKey().containsKey(key)).toList();
                    return reservations.findEarlier(missing).chain(earlier -> {
                        List<ReservedView> answers = new ArrayList<>();
                        long unpaid = 0;
                        for (Reserve item : items) {
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
                        return mayTryAgain(workspaceId, unpaid, triesLeft).chain(() -> reserveAll(caller, items, triesLeft - 1));
                    });
                });
    }

    private static void checkSameReserve(ReservationRepository.Earlier earlier, Reserve request) {
        if (!earlier.workspaceId().equals(request.workspaceId()) || earlier.amount() != request.amount()
                || !Objects.equals(earlier.reference(), request.reference())) {
            throw ConflictException.idempotency("This idempotency_key was already used for a reservation with a "
                    + "different workspace_id, amount or reference.");
        }
    }

    /** Nothing was reserved: a replay of an earlier reserve, 404, 402, or (a balance that changed meanwhile) another try. */
    private Uni<ReservedView> whyNot(Caller caller, Reserve request, int triesLeft) {
        return reservations.findEarlier(request.idempotencyKey()).chain(earlier -> {
            if (earlier != null) {
                checkSameReserve(earlier, request);
                return Uni.createFrom().item(earlier.view());
            }
            return mayTryAgain(request.workspaceId(), request.amount(), triesLeft).chain(() -> reserve(caller, request, triesLeft - 1));
        });
    }

    /**
     * A reserve of {@code required} found the balance short: 404 when the workspace is gone, 402
     * when the balance now cannot pay, 503 {@link NothingReservedException} when it can but no tries
     * are left, else nothing (the balance grew meanwhile, so the caller tries again). A 402 never
     * states a balance that pays for the request.
     */
    private Uni<Void> mayTryAgain(String workspaceId, long required, int triesLeft) {
        return reservations.liveBalance(workspaceId).invoke(balance -> {
            if (balance == null) {
                throw WorkspaceService.notFound(workspaceId);
            }
            if (balance < required) {
                throw new InsufficientCreditsException(required, balance);
            }
            if (triesLeft <= 1) {
                throw new NothingReservedException("The workspace's balance kept changing during this reserve; nothing was reserved.");
            }
        }).replaceWithVoid();
    }

    /**
     * Marks the work paid for (SPEC section 7): {@code amount} (0 to the reserved amount; all of it
     * when absent) is kept and the rest refunded, once and for all. A repeat with the same amount
     * answers the same; another amount, a refunded reservation or one past its {@code expires_at}
     * is 409 (the caller reserves again before the work goes out).
     */
    public Uni<ReservationStatusView> settle(Caller caller, String id, SettleRequest body) {
        Long requested = body == null || body.amount() == null ? null : body.amount().credits();
        return reservations.settleInOneStatement(id, requested, time.now(), caller.actor())
                .chain(closed -> closed != null
                        ? Uni.createFrom().item(new ReservationStatusView(closed.id(), ReservationStatus.SETTLED.wire(), closed.balance()))
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
            return switch (reservation.reservationStatus()) {
                case SETTLED -> {
                    long settled = reservation.settledAmount == null ? reservation.amount : reservation.settledAmount;
                    if (settled != amount) {
                        throw new ConflictException("Reservation " + id + " was already settled for " + settled
                                + " credits; a settle is final.");
                    }
                    yield current(reservation);
                }
                case REFUNDED -> throw new ConflictException("Reservation " + id + " was refunded; it cannot be settled.");
                case RESERVED -> {
                    if (!reservation.expiresAt.isAfter(time.now())) {
                        throw new ConflictException("Reservation " + id + " expired at " + reservation.expiresAt
                                + " and is refunded; reserve again before the work goes out.");
                    }
                    reservation.settledAmount = amount;
                    Ledger.Change settle = new Ledger.Change(LedgerKind.SETTLE, 0, LedgerEntry.SETTLED_REASON, reservation.reference,
                            caller.actor(), null, reservation.id);
                    Ledger.Change rest = amount == reservation.amount ? null : new Ledger.Change(LedgerKind.REFUND,
                            reservation.amount - amount, LedgerEntry.REST_REFUNDED_REASON, reservation.reference,
                            caller.actor(), null, reservation.id);
                    yield close(reservation, ReservationStatus.SETTLED, settle, rest);
                }
            };
        });
    }

    /**
     * Gives the credits back, in one statement while the reservation is held
     * ({@link ReservationRepository#REFUND}); refunding a refunded reservation answers the same, a
     * settled one is 409.
     */
    public Uni<ReservationStatusView> refund(Caller caller, String id) {
        return reservations.refundInOneStatement(id, time.now(), caller.actor())
                .chain(closed -> closed != null
                        ? Uni.createFrom().item(new ReservationStatusView(closed.id(), ReservationStatus.REFUNDED.wire(), closed.balance()))
                        : refundOtherwise(caller, id));
    }

    /** A refund the one statement did not make: a repeat (the same answer), a settled reservation (409), an unknown id (404). */
    @WithTransaction
    Uni<ReservationStatusView> refundOtherwise(Caller caller, String id) {
        return lock(id).chain(reservation -> switch (reservation.reservationStatus()) {
            case REFUNDED -> current(reservation);
            case SETTLED -> throw new ConflictException("Reservation " + id + " was settled; it cannot be refunded.");
            case RESERVED -> close(reservation, ReservationStatus.REFUNDED, new Ledger.Change(LedgerKind.REFUND, reservation.amount,
                    LedgerEntry.REFUNDED_REASON, reservation.reference, caller.actor(), null, reservation.id));
        });
    }

    /** Refunds reservations past their timeout (ledger actor "system", reason "reservation expired"). */
    @WithTransaction
    public Uni<Integer> expireDue(int max) {
        return reservations.lockDueForExpiry(time.now(), max).chain(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Reservation reservation : due) {
                chain = chain.call(() -> close(reservation, ReservationStatus.REFUNDED, new Ledger.Change(LedgerKind.REFUND,
                        reservation.amount, LedgerEntry.EXPIRED_REASON, reservation.reference, Caller.SYSTEM_ACTOR, null, reservation.id)));
            }
            return chain.replaceWith(due.size());
        });
    }

    private Uni<ReservationStatusView> close(Reservation reservation, ReservationStatus status, Ledger.Change change) {
        return close(reservation, status, change, null);
    }

    /** Applies {@code change} (and {@code then}, when not null) under the workspace's lock and closes the reservation. */
    private Uni<ReservationStatusView> close(Reservation reservation, ReservationStatus status, Ledger.Change change, Ledger.Change then) {
        Instant now = time.now();
        return workspaces.lockAny(reservation.workspaceId)
                .call(workspace -> ledger.apply(workspace, change, now))
                .call(workspace -> then == null ? Uni.createFrom().voidItem() : ledger.apply(workspace, then, now))
                .map(workspace -> {
                    reservation.reservationStatus(status);
                    reservation.updatedAt = now;
                    return new ReservationStatusView(reservation.id, reservation.status, workspace.balance);
                });
    }

    private Uni<ReservationStatusView> current(Reservation reservation) {
        return workspaces.findById(reservation.workspaceId)
                .map(workspace -> new ReservationStatusView(reservation.id, reservation.status, workspace.balance));
    }

    private Uni<Reservation> lock(String id) {
        return reservations.lock(id).onItem().ifNull().failWith(() -> new NotFoundException("Reservation " + id));
    }
}
