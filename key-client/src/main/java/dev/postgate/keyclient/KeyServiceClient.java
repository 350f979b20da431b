package dev.postgate.keyclient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.auth.KeyIdentity;
import dev.postgate.common.auth.ServiceTokens;
import dev.postgate.common.client.InternalApi;
import dev.postgate.common.client.InternalApi.Unreachable;
import dev.postgate.common.http.ServiceUrls;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.keys.KeyStatus;
import dev.postgate.common.time.Instants;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * key-service's internal API, the one place that knows its paths, timeouts and answers:
 * {@code POST /internal/v1/keys/verify} and {@code POST /internal/v1/keys/usage}, through
 * {@link InternalApi} (this service's own service JWT). Anything but a clear answer becomes
 * {@link Unreachable}.
 */
@ApplicationScoped
public class KeyServiceClient {
    private final InternalApi api;
    private final Duration usageTimeout;

    @Inject
    public KeyServiceClient(Vertx vertx, ServiceUrls urls, KeyClientConfig config, ServiceTokens tokens) {
        this.api = new InternalApi(vertx, "key-service", urls.keyService(), config.callTimeout(), InternalApi.POOL_SIZE, 0, tokens);
        this.usageTimeout = config.callTimeout().multipliedBy(5);
    }

    public Uni<KeyVerdict> verify(String key) {
        return api.send(() -> api.post("/internal/v1/keys/verify").sendJsonObject(new JsonObject().put("key", key)), false)
                .map(KeyServiceClient::verdict);
    }

    private static KeyVerdict verdict(HttpResponse<Buffer> response) {
        return verdict(response.statusCode(), response.statusCode() == 200 ? InternalApi.data(response) : null);
    }

    /**
     * What key-service's verify answer says of the key: unknown (404), refused (revoked or
     * expired), or usable (active). Any other status is {@link Unreachable}: a key is never let
     * through on a status this client does not know.
     */
    static KeyVerdict verdict(int statusCode, JsonObject data) {
        if (statusCode == 404) {
            return KeyVerdict.unknown();
        }
        if (statusCode != 200) {
            throw new Unreachable("key-service answered " + statusCode + " to verify", null);
        }
        if (data == null) {
            throw new Unreachable("key-service answered verify without data", null);
        }
        String id = data.getString("id");
        long seq = data.getLong("seq");
        Instant expiresAt = Instants.parseOrFail(data.getString("expires_at"),
                () -> new Unreachable("key-service answered verify with an expiry this service cannot read", null));
        KeyStatus status = KeyStatus.find(data.getString("status"));
        if (status == null) {
            throw new Unreachable("key-service answered verify with a key status this service does not know", null);
        }
        if (status != KeyStatus.ACTIVE) {
            return KeyVerdict.refused(status == KeyStatus.REVOKED ? KeyVerdict.Kind.REVOKED : KeyVerdict.Kind.EXPIRED, id, seq, expiresAt);
        }
        JsonArray workspaces = data.getJsonArray("workspace_ids");
        List<String> workspaceIds = null;
        if (workspaces != null) {
            workspaceIds = new ArrayList<>();
            for (Object ws : workspaces) {
                workspaceIds.add(String.valueOf(ws));
            }
        }
        TreeSet<String> scopes = new TreeSet<>();
        data.getJsonArray("scopes").forEach(s -> scopes.add(String.valueOf(s)));
        KeyIdentity identity = new KeyIdentity(id, data.getString("name"), data.getString("org_id"), scopes,
                workspaceIds == null ? null : List.copyOf(workspaceIds), KeyMode.fromWire(data.getString("mode")), expiresAt);
        return KeyVerdict.usable(identity, seq);
    }

    /** Reports last-used times; fails with {@link Unreachable} so the caller keeps them for the next try. */
    public Uni<Void> reportUsage(Map<String, Instant> lastUsed) {
        JsonArray items = new JsonArray();
        lastUsed.forEach((keyId, at) -> items.add(new JsonObject().put("key_id", keyId).put("last_used_at", at.toString())));
        return api.send(() -> api.post("/internal/v1/keys/usage", usageTimeout).sendJsonObject(new JsonObject().put("items", items)), false)
                .invoke(response -> {
                    if (response.statusCode() != 200) {
                        throw new Unreachable("key-service answered " + response.statusCode() + " to usage", null);
                    }
                })
                .replaceWithVoid();
    }

    @PreDestroy
    void close() {
        api.close();
    }
}
