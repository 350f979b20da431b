package dev.postgate.keyclient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.auth.ServiceTokens;
import dev.postgate.common.client.InternalApi;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.ForbiddenException;
import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.errors.NothingReservedException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.http.ServiceUrls;
import dev.postgate.common.time.Instants;
import dev.postgate.common.workspaces.AccountHealth;
import dev.postgate.common.workspaces.ReservationStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * workspace-service's internal API, the one client of it in a process and the one place that knows
 * its paths, timeouts and answers: a workspace ({@link WorkspaceServiceDirectory} caches what access
 * checks need of it), the connected accounts of a workspace, and credit reservations (reserve, settle,
 * refund), with this service's own service JWT. Every call is safe to repeat (reservations carry an
 * idempotency key; settle and refund are idempotent), so a call that got no answer is tried again,
 * except a workspace read for an access check; anything but a clear answer becomes 503 UNAVAILABLE
 * ({@link SimpleErrors#unavailable}), or {@link InternalApi.Unreachable} for that read.
 */
@ApplicationScoped
public class WorkspaceServiceClient {
    private static final Logger LOG = Logger.getLogger(WorkspaceServiceClient.class);

    private final InternalApi api;
    private final Duration readTimeout;

    @Inject
    public WorkspaceServiceClient(Vertx vertx, ServiceUrls urls, WorkspaceClientConfig config, KeyClientConfig keyClient,
            ServiceTokens tokens) {
        this.api = new InternalApi(vertx, "workspace-service", urls.workspaceService(), config.timeout(), InternalApi.POOL_SIZE, config.retries(), tokens);
        this.readTimeout = keyClient.callTimeout();
    }

    /** A settle after a refund (or the other way round), or a reservation workspace-service does not know. */
    public static class ReservationClosed extends RuntimeException {
        public ReservationClosed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * 503 UNAVAILABLE for a call that got no answer at all (down, slow, the circuit open): whether
     * it took effect there cannot be known. An answer that cannot be used is a plain 503.
     */
    public static final class NoAnswer extends ApiException {
        NoAnswer(String message) {
            super(503, SimpleErrors.UNAVAILABLE, message);
        }
    }

    /**
     * 409 to a reserve: an idempotency key of it already holds a reservation for another workspace,
     * amount or reference (a price changed between a crashed request's reserve and the repeat), so
     * nothing was reserved and the same call will be refused again. 503 to a request's caller, whose
     * next attempt uses new keys; work in the background ends instead of repeating it for ever.
     */
    public static final class KeyTaken extends ApiException {
        KeyTaken(String message) {
            super(503, SimpleErrors.UNAVAILABLE, message);
        }
    }

    /** The accounts of the workspace among {@code ids} (those that are not its accounts are left out). */
    public Uni<List<SocialAccount>> accounts(String workspaceId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String path = "/internal/v1/workspaces/" + InternalApi.segment(workspaceId) + "/accounts";
        return call("read accounts", () -> api.get(path)
                .addQueryParam("ids", String.join(",", ids))
                .send())
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return List.<SocialAccount>of();
                    }
                    expect(response, 200, "read accounts");
                    JsonArray data = InternalApi.dataArray(response);
                    if (data == null) {
                        throw unreadable(response, "read accounts");
                    }
                    List<SocialAccount> accounts = new ArrayList<>();
                    for (int i = 0; i < data.size(); i++) {
                        JsonObject a = data.getJsonObject(i);
                        if (workspaceId.equals(a.getString("workspace_id", workspaceId))) {
                            accounts.add(new SocialAccount(a.getString("id"), workspaceId, a.getString("platform"),
                                    a.getString("name"), a.getString("health", AccountHealth.HEALTHY.wire())));
                        }
                    }
                    return accounts;
                });
    }

    /**
     * Holds {@code amount} credits; a repeat with the same {@code idempotencyKey} returns the same
     * reservation, with its status now. Fails with {@link InsufficientCreditsException} (402) when the balance cannot pay.
     */
    public Uni<Reservation> reserve(String workspaceId, long amount, String idempotencyKey, String reference) {
        JsonObject body = new JsonObject().put("workspace_id", workspaceId).put("amount", amount)
                .put("idempotency_key", idempotencyKey).put("reference", reference);
        return reservationCall("/internal/v1/credits/reservations", body, amount)
                .map(response -> {
                    if (response.statusCode() != 200) {
                        expect(response, 201, "reserve credits");
                    }
                    return reservation(response, dataOf(response, "reserve credits"));
                });
    }

    /** One of several holds asked for at once. */
    public record Hold(long amount, String idempotencyKey, String reference) {
    }

    /**
     * What a batch of holds got: the reservations in the order of the holds, and the workspace's
     * balance after them as workspace-service states it (the lowest of the items' balances).
     */
    public record ReservedAll(long balance, List<Reservation> items) {
    }

    /**
     * Holds credits for every item at once, all or nothing: the reservations in the order of
     * {@code holds} (a repeated key returns its reservation, with its status now) and the balance
     * after them ({@link ReservedAll}). Fails with
     * {@link InsufficientCreditsException} (402) when the balance cannot pay for all of them; then
     * nothing was reserved.
     */
    public Uni<ReservedAll> reserveAll(String workspaceId, List<Hold> holds) {
        JsonArray items = new JsonArray();
        holds.forEach(hold -> items.add(new JsonObject().put("amount", hold.amount()).put("idempotency_key", hold.idempotencyKey())
                .put("reference", hold.reference())));
        JsonObject body = new JsonObject().put("workspace_id", workspaceId).put("items", items);
        long total = holds.stream().mapToLong(Hold::amount).sum();
        return reservationCall("/internal/v1/credits/reservations/batch", body, total)
                .map(response -> {
                    expect(response, 201, "reserve credits");
                    JsonObject answer = dataOf(response, "reserve credits");
                    JsonArray data = answer.getJsonArray("items");
                    if (data == null || data.size() != holds.size() || !(answer.getValue("balance") instanceof Number balance)) {
                        throw unreadable(response, "reserve credits");
                    }
                    List<Reservation> reservations = new ArrayList<>();
                    for (int i = 0; i < data.size(); i++) {
                        reservations.add(reservation(response, data.getJsonObject(i)));
                    }
                    return new ReservedAll(balance.longValue(), reservations);
                });
    }

    /**
     * A reserve call: 402 fails with {@link InsufficientCreditsException} (the credits required, as
     * workspace-service says or else {@code required}, and the balance); 404, a workspace deleted
     * since the work began, fails with SPEC's 403 WORKSPACE_FORBIDDEN for a caller, which the
     * worker treats as {@link #cannotPay} rather than retry the work for ever; 409 fails with
     * {@link KeyTaken}; a 503 that says nothing was reserved fails with {@link NothingReservedException}.
     * Any other answer is the caller's to read.
     */
    private Uni<HttpResponse<Buffer>> reservationCall(String path, JsonObject body, long required) {
        return call("reserve credits", () -> api.post(path).sendJsonObject(body))
                .invoke(response -> {
                    if (response.statusCode() == 402) {
                        JsonObject error = InternalApi.error(response);
                        throw new InsufficientCreditsException(error.getLong("required", required), error.getLong("balance", 0L));
                    }
                    if (response.statusCode() == 404) {
                        LOG.infof("workspace %s is gone: it cannot pay for %d credits", body.getString("workspace_id"), required);
                        throw ForbiddenException.workspace(body.getString("workspace_id"));
                    }
                    if (response.statusCode() == 503 && Boolean.FALSE.equals(InternalApi.error(response).getValue(NothingReservedException.RESERVED))) {
                        throw new NothingReservedException("Cannot reserve credits right now: the workspace's balance kept changing.");
                    }
                    if (response.statusCode() == 409) {
                        LOG.warnf("workspace-service refused to reserve credits: %s", abbreviate(response.bodyAsString()));
                        throw new KeyTaken("Cannot reserve credits right now: a reservation key was used for another amount. Retry shortly.");
                    }
                });
    }

    /**
     * Whether a reserve failed because the workspace can pay for nothing: its balance is short
     * (402), or it is gone (403 WORKSPACE_FORBIDDEN). Work in the background ends unpaid then.
     */
    public static boolean cannotPay(Throwable failure) {
        return failure instanceof InsufficientCreditsException
                || failure instanceof ForbiddenException forbidden && forbidden.isWorkspaceForbidden();
    }

    private static Reservation reservation(HttpResponse<Buffer> response, JsonObject data) {
        Instant expiresAt = Instants.parseOrFail(data.getString("expires_at"), () -> unreadable(response, "reserve credits"));
        return new Reservation(data.getString("id"), data.getLong("balance", 0L), expiresAt,
                data.getString("status", ReservationStatus.RESERVED.wire()));
    }

    /** Turns a reservation into a spend (idempotent). */
    public Uni<Reservation.Outcome> settle(String reservationId) {
        return closeReservation(reservationId, "settle");
    }

    /** Gives a reservation back to the balance (idempotent). */
    public Uni<Reservation.Outcome> refund(String reservationId) {
        return closeReservation(reservationId, "refund");
    }

    private Uni<Reservation.Outcome> closeReservation(String reservationId, String action) {
        String path = "/internal/v1/credits/reservations/" + InternalApi.segment(reservationId) + "/" + action;
        return call(action + " credits", () -> api.post(path)
                .sendJsonObject(new JsonObject()))
                .map(response -> {
                    if (response.statusCode() == 409 || response.statusCode() == 404) {
                        throw new ReservationClosed("workspace-service refused to " + action + " reservation " + reservationId
                                + " (" + response.statusCode() + "): " + InternalApi.error(response).getString("message", ""));
                    }
                    expect(response, 200, action + " credits");
                    JsonObject data = dataOf(response, action + " credits");
                    return new Reservation.Outcome(data.getString("id", reservationId), data.getString("status"),
                            data.getLong("balance", 0L));
                });
    }

    /**
     * The workspace as workspace-service's internal read describes it (its {@code data}: id, org_id,
     * deleted, balance); empty when workspace-service does not know it. One attempt within the key
     * client's call timeout, as access checks wait on it; fails with {@link InternalApi.Unreachable}.
     */
    public Uni<Optional<JsonObject>> workspace(String workspaceId) {
        String path = "/internal/v1/workspaces/" + InternalApi.segment(workspaceId);
        return api.send(() -> api.get(path, readTimeout).send(), false)
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<JsonObject>empty();
                    }
                    if (response.statusCode() != 200) {
                        throw new InternalApi.Unreachable("workspace-service answered " + response.statusCode(), null);
                    }
                    JsonObject data = InternalApi.data(response);
                    if (data == null) {
                        throw new InternalApi.Unreachable("workspace-service answered the workspace read without data", null);
                    }
                    return Optional.of(data);
                });
    }

    /**
     * The workspace's balance when workspace-service tells it on its internal workspace read
     * (for answers that spend nothing); empty when it does not, or cannot answer now.
     */
    public Uni<Optional<Long>> balance(String workspaceId) {
        return workspace(workspaceId)
                .map(data -> data.map(d -> d.getValue("balance")).filter(Number.class::isInstance).map(n -> ((Number) n).longValue()))
                .onFailure(InternalApi.Unreachable.class).recoverWithItem(Optional.empty());
    }

    private Uni<HttpResponse<Buffer>> call(String what, Supplier<Uni<HttpResponse<Buffer>>> request) {
        return api.send(request, true)
                .onFailure().transform(e -> {
                    LOG.warnf("workspace-service did not answer (%s): %s", what, e.toString());
                    return new NoAnswer("Cannot " + what + " right now: workspace-service is unavailable. Retry shortly.");
                });
    }

    private static void expect(HttpResponse<Buffer> response, int status, String what) {
        if (response.statusCode() != status) {
            LOG.warnf("workspace-service answered %d to %s: %s", response.statusCode(), what, abbreviate(response.bodyAsString()));
            throw SimpleErrors.unavailable("Cannot " + what + " right now: workspace-service answered " + response.statusCode() + ". Retry shortly.");
        }
    }

    /** The answer's {@code data}; an answer without one is no clear answer (503 UNAVAILABLE). */
    private static JsonObject dataOf(HttpResponse<Buffer> response, String what) {
        JsonObject data = InternalApi.data(response);
        if (data == null) {
            throw unreadable(response, what);
        }
        return data;
    }

    private static ApiException unreadable(HttpResponse<Buffer> response, String what) {
        LOG.warnf("workspace-service answered %d to %s with a body that could not be read: %s", response.statusCode(), what,
                abbreviate(response.bodyAsString()));
        return SimpleErrors.unavailable("Cannot " + what + " right now: workspace-service's answer could not be read. Retry shortly.");
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    @PreDestroy
    void close() {
        api.close();
    }
}
