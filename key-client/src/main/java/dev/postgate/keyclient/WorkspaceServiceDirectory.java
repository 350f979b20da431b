package dev.postgate.keyclient;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.postgate.common.kafka.WorkspacesTopic;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Workspace facts from workspace-service ({@link WorkspaceServiceClient#workspace}), cached with
 * the same care as keys: entries are dropped on {@code workspace.*} events, a deletion is kept
 * as final, and the cache is used only while the workspace topic is fresh and this instance read
 * a heartbeat of it within {@link KeyClientConfig#workspaceStalenessWindow()} (a second, by its
 * own clock); otherwise every check asks workspace-service (and fails with 503 if it cannot answer).
 */
@ApplicationScoped
@DefaultBean
public class WorkspaceServiceDirectory implements WorkspaceDirectory {
    private final WorkspaceServiceClient client;
    private final Cache<String, Optional<WorkspaceFact>> cache;
    private final Cache<String, Boolean> unknown;
    /** Deletions seen in events: final, so an answer fetched before the deletion cannot undo it. */
    private final Cache<String, String> deletions;
    private final ConcurrentMap<String, Uni<WorkspaceFact>> inFlight = new ConcurrentHashMap<>();
    private final KeyClientConfig config;

    @Inject
    KeyAndWorkspaceEvents events;

    @Inject
    public WorkspaceServiceDirectory(WorkspaceServiceClient client, KeyClientConfig config) {
        this.client = client;
        this.config = config;
        this.cache = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(config.ttl()).build();
        this.unknown = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(config.unknownTtl()).build();
        this.deletions = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(java.time.Duration.ofDays(1)).build();
    }

    @Override
    public Uni<WorkspaceFact> find(String workspaceId) {
        String deletedIn = deletions.getIfPresent(workspaceId);
        if (deletedIn != null) {
            // Final: no need to ask anyone, fresh or not.
            return Uni.createFrom().item(new WorkspaceFact(workspaceId, deletedIn, true));
        }
        if (events.isFreshAndHeardWithin(WorkspacesTopic.NAME, config.workspaceStalenessWindow())) {
            Optional<WorkspaceFact> known = cache.getIfPresent(workspaceId);
            if (known != null) {
                return Uni.createFrom().item(known.orElse(null));
            }
            if (unknown.getIfPresent(workspaceId) != null) {
                return Uni.createFrom().nullItem();
            }
        }
        return inFlight.computeIfAbsent(workspaceId, id -> fetch(id)
                .onTermination().invoke(() -> inFlight.remove(id))
                .memoize().indefinitely());
    }

    private Uni<WorkspaceFact> fetch(String workspaceId) {
        return client.workspace(workspaceId).map(answer -> {
            if (answer.isEmpty()) {
                unknown.put(workspaceId, Boolean.TRUE);
                return null;
            }
            JsonObject data = answer.get();
            if (!workspaceId.equals(data.getString("id"))) {
                // Known only under the id workspace-service answered for; anything else is not this workspace.
                return null;
            }
            WorkspaceFact fact = new WorkspaceFact(data.getString("id"), data.getString("org_id"),
                    Boolean.TRUE.equals(data.getBoolean("deleted")) || deletions.getIfPresent(workspaceId) != null);
            cache.put(workspaceId, Optional.of(fact));
            return fact;
        });
    }

    /** A {@code workspace.*} event: drop what is known about it (a deletion is final). */
    void onEvent(@Observes WorkspaceChanged change) {
        String workspaceId = change.workspaceId();
        unknown.invalidate(workspaceId);
        if (change.deleted() && change.orgId() != null) {
            deletions.put(workspaceId, change.orgId());
            cache.put(workspaceId, Optional.of(new WorkspaceFact(workspaceId, change.orgId(), true)));
        } else {
            cache.invalidate(workspaceId);
        }
    }
}
