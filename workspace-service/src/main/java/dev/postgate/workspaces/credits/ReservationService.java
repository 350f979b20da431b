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
import dev.postgate.workspaces.workspaces.Workspace;
import dev.postgate.workspaces.workspaces.WorkspaceRepository;
import dev.postgate.workspaces.workspaces.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Credit reservations for service callers (SPEC section 7). A reserve is one transaction: it
 * takes the idempotency key's lock and the workspace's row lock, looks for an earlier reserve
 * with the same key only then (so concurrent retries find it), checks the balance, lowers it and
 * writes the ledger entry and the reservation. Settle and refund lock the reservation, then its
 * workspace (the expiry job locks in the same order), and happen at most once each.
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
    WorkspaceRepository workspaces;

    @Inject
    Ledger ledger;

    @Inject
    CreditsConfig config;

    record ReserveRequest(String workspaceId, long amount, String idempotencyKey, String reference) {
    }

    @WithTransaction
    public Uni<ReservedView> reserve(Caller caller, JsonNode body) {
        ReserveRequest request = parse(body);
        // A retry of a committed reserve is answered without waiting for the workspace's lock.
        return reservations.findByIdempotencyKey(request.idempotencyKey()).chain(committed -> committed != null
                ? replay(committed, request)
                : reserveLocked(caller, request));
    }

    private Uni<ReservedView> reserveLocked(Caller caller, ReserveRequest request) {
        return reservations.lockIdempotencyKey(request.idempotencyKey())
                .chain(() -> workspaces.lockLive(request.workspaceId()))
                .onItem().ifNull().failWith(() -> WorkspaceService.notFound(request.workspaceId()))
                .chain(workspace -> reservations.findByIdempotencyKey(request.idempotencyKey())
                        .chain(earlier -> earlier != null ? replay(earlier, request) : reserve(caller, workspace, request)));
    }

    private Uni<ReservedView> replay(Reservation earlier, ReserveRequest request) {
        if (!earlier.workspaceId.equals(request.workspaceId()) || earlier.amount != request.amount()
                || !Objects.equals(earlier.reference, request.reference())) {
            throw ConflictException.idempotency("This idempotency_key was already used for a reservation with a different "
                    + "workspace_id, amount or reference.");
        }
        return Uni.createFrom().item(view(earlier));
    }

    private Uni<ReservedView> reserve(Caller caller, Workspace workspace, ReserveRequest request) {
        if (workspace.balance < request.amount()) {
            throw new InsufficientCreditsException(request.amount(), workspace.balance);
        }
        Instant now = Checks.now();
        Reservation reservation = new Reservation();
        reservation.id = Ids.newId("res");
        reservation.workspaceId = workspace.id;
        reservation.orgId = workspace.orgId;
        reservation.amount = request.amount();
        reservation.status = Reservation.RESERVED;
        reservation.idempotencyKey = request.idempotencyKey();
        reservation.reference = request.reference();
        reservation.balanceAfter = workspace.balance - request.amount();
        reservation.actor = caller.actor();
        reservation.createdAt = now;
        reservation.expiresAt = now.plus(config.reservationTimeout());
        reservation.updatedAt = now;
        // The reservation first: the ledger entry refers to it.
        return reservations.persist(reservation)
                .call(saved -> ledger.apply(workspace, new Ledger.Change(LedgerEntry.RESERVE, -request.amount(),
                        "credits reserved", request.reference(), caller.actor(), request.idempotencyKey(), saved.id), now))
                .map(ReservationService::view);
    }

    /** Marks the work paid for; settling a settled reservation answers the same, a refunded one is 409. */
    @WithTransaction
    public Uni<ReservationStatusView> settle(Caller caller, String id) {
        return lock(id).chain(reservation -> switch (reservation.status) {
            case Reservation.SETTLED -> current(reservation);
            case Reservation.REFUNDED -> throw new ConflictException("Reservation " + id + " was refunded; it cannot be settled.");
            default -> close(reservation, Reservation.SETTLED, new Ledger.Change(LedgerEntry.SETTLE, 0, "reservation settled",
                    reservation.reference, caller.actor(), null, reservation.id));
        });
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
        Instant now = Checks.now();
        return workspaces.lockAny(reservation.workspaceId)
                .call(workspace -> ledger.apply(workspace, change, now))
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

    private static ReservedView view(Reservation reservation) {
        return new ReservedView(reservation.id, reservation.balanceAfter, reservation.expiresAt);
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
