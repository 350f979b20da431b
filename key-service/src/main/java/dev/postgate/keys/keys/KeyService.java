package dev.postgate.keys.keys;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.kafka.KeysTopic;
import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.keys.KeyStatus;
import dev.postgate.common.outbox.Outbox;
import dev.postgate.common.time.TimeSource;
import dev.postgate.keys.keys.AuditLog.Action;
import dev.postgate.keys.keys.KeyViews.CreateKeyRequest;
import dev.postgate.keys.keys.KeyViews.IssuedKey;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The key lifecycle: every change locks what it changes, bumps the key's {@code seq}, writes an
 * audit entry and (for lifecycle changes) an outbox event, all in one transaction.
 */
@ApplicationScoped
public class KeyService {
    @Inject
    TimeSource time;

    @Inject
    KeyRepository keys;

    @Inject
    KeySecrets secrets;

    @Inject
    KeysConfig config;

    @Inject
    AuditLog audit;

    @Inject
    KeyEvents events;

    @Inject
    Outbox outbox;

    @WithTransaction
    public Uni<IssuedKey> create(Caller caller, CreateKeyRequest request) {
        Instant now = time.now();
        String name = request.name();
        KeyMode mode = request.mode() == null ? KeyMode.LIVE : KeyMode.fromWire(request.mode());
        List<String> workspaces = request.workspaceIds() == null ? null : List.copyOf(new LinkedHashSet<>(request.workspaceIds()));
        KeyMode keyMode = mode;
        Set<String> keyScopes = ScopeExpansion.expand(request.scopes(), request.preset());
        return keys.lockOrganisation(caller.orgId())
                .chain(() -> keys.countCountingTowardsLimit(caller.orgId(), now))
                .chain(active -> {
                    if (active >= config.maxActivePerOrg()) {
                        throw ConflictException.keyLimit(config.maxActivePerOrg());
                    }
                    return issue(caller.orgId(), name, keyScopes, workspaces, keyMode, request.expiresAt(), caller.actor(), now);
                })
                .call(issued -> audit.record(issued.key(), Action.CREATE, caller.actor(), caller.requestId(), now,
                        details("name", name, "scopes", keyScopes, "mode", keyMode.wire(), "workspace_ids", workspaces,
                                "expires_at", request.expiresAt())))
                .call(issued -> events.publish(KeysTopic.CREATED, issued.key(), now, null));
    }

    private Uni<IssuedKey> issue(String orgId, String name, Set<String> scopes, List<String> workspaces, KeyMode mode,
            Instant expiresAt, String createdBy, Instant now) {
        String secret = secrets.mint(mode);
        ApiKey key = new ApiKey();
        key.id = Ids.newId(Ids.KEY);
        key.orgId = orgId;
        key.name = name;
        key.keyHash = secrets.hash(secret);
        key.start = KeyFormat.start(secret);
        key.last4 = KeyFormat.last4(secret);
        key.scopeSet(scopes);
        key.workspaceList(workspaces);
        key.mode = mode.wire();
        key.keyStatus(KeyStatus.ACTIVE);
        key.createdAt = now;
        key.updatedAt = now;
        key.expiresAt = expiresAt;
        key.seq = 1;
        key.createdBy = createdBy;
        return keys.persist(key).map(saved -> new IssuedKey(saved, secret));
    }

    @WithSession
    public Uni<Page<ApiKey>> list(String orgId, KeyStatusFilter status, PageRequest page) {
        return keys.page(orgId, status, page, time.now()).map(rows -> Page.of(rows, page, k -> k.id));
    }

    @WithSession
    public Uni<ApiKey> get(String orgId, String id) {
        return keys.findInOrg(orgId, id).onItem().ifNull().failWith(() -> new NotFoundException("API key " + id));
    }

    /** A page of the key's audit log, newest first; 404 for a key of another organisation. */
    @WithSession
    public Uni<Page<AuditEntry>> audit(String orgId, String id, PageRequest page) {
        return get(orgId, id).chain(key -> audit.page(key.id, page)).map(rows -> Page.of(rows, page, e -> e.id));
    }

    @WithTransaction
    public Uni<ApiKey> rename(Caller caller, String id, String name) {
        Instant now = time.now();
        return lock(caller, id).chain(key -> {
            String before = key.name;
            key.name = name;
            key.changed(now);
            return audit.record(key, Action.RENAME, caller.actor(), caller.requestId(), now, details("from", before, "to", name))
                    .call(() -> events.publish(KeysTopic.UPDATED, key, now, null))
                    .replaceWith(key);
        });
    }

    /**
     * Revokes for good; revoking a revoked key changes nothing and answers the same. The key, its
     * audit entry and its event are written by one statement that holds the key's row lock for
     * itself alone ({@link KeyRepository#REVOKE}); when the key changed between the read and that
     * statement, or is unknown, the locked transaction decides instead.
     */
    public Uni<ApiKey> revoke(Caller caller, String id, String reason) {
        Instant now = time.now();
        return keys.readInOrg(caller.orgId(), id)
                .chain(key -> key == null ? Uni.createFrom().<ApiKey>nullItem()
                        : key.keyStatus() == KeyStatus.REVOKED ? Uni.createFrom().item(key)
                        : revokeAtOnce(caller, key, now, reason))
                .onItem().ifNull().switchTo(() -> Panache.withTransaction(() -> lock(caller, id).chain(key -> {
                    if (key.keyStatus() == KeyStatus.REVOKED) {
                        return Uni.createFrom().item(key);
                    }
                    return revokeLocked(key, caller.actor(), caller.requestId(), now, eventReason(reason), details("reason", reason));
                })));
    }

    /** The reason an api_key.revoked event gives: the caller's, or {@link KeyEvents#REVOKED_REASON}. */
    private static String eventReason(String reason) {
        return reason == null ? KeyEvents.REVOKED_REASON : reason;
    }

    /** {@link #revoke}'s one statement: the key revoked, or null when it changed since it was read. */
    private Uni<ApiKey> revokeAtOnce(Caller caller, ApiKey key, Instant now, String reason) {
        long seen = key.seq;
        key.markRevoked(now);
        KeyEvent event = events.eventOf(KeysTopic.REVOKED, key, now, eventReason(reason));
        String payload = outbox.payload(event);
        Instant written = Outbox.stamp();
        outbox.claim(event.id());
        return keys.revokeAtOnce(key, seen, Ids.newId(Ids.AUDIT_ENTRY), caller.actor(), caller.requestId(),
                audit.detailsJson(details("reason", reason)), KeysTopic.NAME, payload, written)
                .map(outboxId -> {
                    if (outboxId == null) {
                        return null;
                    }
                    outbox.written(outboxId, KeysTopic.NAME, key.id, payload, event.id(), written);
                    return key;
                });
    }

    /** What a leak report found for one reported key. */
    public enum LeakFinding {
        /** No key has this secret. */
        UNKNOWN,
        /** A key that was already revoked or expired: nothing changes. */
        ALREADY_ENDED,
        /** An active key, revoked now as leaked. */
        REVOKED
    }

    /**
     * Revokes the active key whose secret has this hash as leaked (SPEC section 10), with
     * {@code reportedBy} as the audit actor and {@code foundAt} (a URL, or null) as where it was
     * found. Idempotent: a key already revoked or expired is left as it is.
     */
    @WithTransaction
    public Uni<Leaked> revokeLeaked(String keyHash, String reportedBy, String foundAt) {
        Instant now = time.now();
        return keys.lockByHash(keyHash).chain(key -> {
            if (key == null) {
                return Uni.createFrom().item(new Leaked(LeakFinding.UNKNOWN, null));
            }
            if (key.statusAt(now) != KeyStatus.ACTIVE) {
                return Uni.createFrom().item(new Leaked(LeakFinding.ALREADY_ENDED, key));
            }
            key.leakReportedBy = reportedBy;
            key.leakFoundAt = foundAt;
            return revokeLocked(key, reportedBy, null, now, KeyEvents.LEAKED_REASON, details("reason", KeyEvents.LEAKED_REASON, "found_at", foundAt))
                    .replaceWith(new Leaked(LeakFinding.REVOKED, key));
        });
    }

    /** What a leak report did to one reported key, and the key (null when unknown). */
    public record Leaked(LeakFinding finding, ApiKey key) {
    }

    private Uni<ApiKey> revokeLocked(ApiKey key, String actor, String requestId, Instant now, String reason,
            Map<String, Object> details) {
        key.markRevoked(now);
        return audit.record(key, Action.REVOKE, actor, requestId, now, details)
                .call(() -> events.publish(KeysTopic.REVOKED, key, now, reason))
                .replaceWith(key);
    }

    /**
     * Issues a new key with the same name, scopes, mode, workspaces and expiry (or the earlier
     * {@code expiresAt} asked for: a roll never extends a key's life) and lets the old one work
     * for {@code expireOldInSeconds} more (0 = stops now). Never refused by the key limit: the old
     * key stops counting while its successor works.
     */
    @WithTransaction
    public Uni<Rolled> roll(Caller caller, String id, Long expireOldInSeconds, Instant expiresAt) {
        long seconds = expireOldInSeconds == null ? 0 : expireOldInSeconds;
        if (seconds < 0 || seconds > config.maxRollOverlap().toSeconds()) {
            throw ValidationException.invalid("expire_old_in_seconds", "expire_old_in_seconds must be from 0 to "
                    + config.maxRollOverlap().toSeconds() + ".");
        }
        Instant now = time.now();
        return lock(caller, id).chain(old -> {
            if (expiresAt != null && old.expiresAt != null && expiresAt.isAfter(old.expiresAt)) {
                throw ValidationException.invalid("expires_at", "expires_at cannot be later than the key's own expiry ("
                        + old.expiresAt + "): a roll never extends a key's life.");
            }
            Instant freshExpiry = expiresAt != null ? expiresAt : old.expiresAt;
            KeyStatus status = old.statusAt(now);
            if (status != KeyStatus.ACTIVE) {
                throw new ConflictException("This key is " + status.wire() + " and cannot be rolled.");
            }
            if (old.rolledTo != null) {
                return alreadyRolled(old, now);
            }
            Instant oldExpiry = now.plusSeconds(seconds);
            if (old.expiresAt != null && old.expiresAt.isBefore(oldExpiry)) {
                oldExpiry = old.expiresAt;
            }
            Instant expiry = oldExpiry;
            return endEarlierOverlap(caller, old, now).chain(() -> issue(old.orgId, old.name, old.scopeSet(),
                    old.workspaceList(), old.keyMode(), freshExpiry, caller.actor(), now))
                    .call(fresh -> {
                        old.rolledTo = fresh.key().id;
                        old.expiresAt = expiry;
                        old.changed(now);
                        return audit.record(fresh.key(), Action.CREATE, caller.actor(), caller.requestId(), now,
                                details("rolled_from", old.id))
                                .call(() -> audit.record(old, Action.ROLL, caller.actor(), caller.requestId(), now,
                                        details("new_key_id", fresh.key().id, "expire_old_in_seconds", seconds,
                                                "expires_at", expiry)))
                                .call(() -> events.publish(KeysTopic.CREATED, fresh.key(), now, KeyEvents.ROLLED_REASON))
                                .call(() -> events.publish(KeysTopic.ROLLED, old, now, KeyEvents.ROLLED_REASON));
                    })
                    .map(fresh -> new Rolled(fresh, old));
        });
    }

    /** A roll's new key with its secret, and the old key as the roll left it (its change's seq and time). */
    public record Rolled(IssuedKey fresh, ApiKey old) {
    }

    /** The 409 for a key rolled before: it points to the replacement only while that one can be rolled. */
    private <T> Uni<T> alreadyRolled(ApiKey old, Instant now) {
        return keys.findInOrg(old.orgId, old.rolledTo).chain(next -> {
            KeyStatus status = next == null ? null : next.statusAt(now);
            String message = status == KeyStatus.ACTIVE && next.rolledTo == null
                    ? "This key was already rolled to " + old.rolledTo + "; roll that key instead."
                    : "This key was already rolled to " + old.rolledTo + (status == null ? "" : ", which is " + status.wire())
                            + ": a key is rolled once; create a new key instead.";
            return Uni.createFrom().failure(new ConflictException(message));
        });
    }

    /**
     * Rolling a key that is itself the replacement of a key still in its overlap window ends that
     * window now: a lineage of rolls keeps at most one old key working, so rolls cannot be chained
     * to hold more active keys than the limit (keys in an overlap window do not count against it).
     */
    private Uni<Void> endEarlierOverlap(Caller caller, ApiKey rolled, Instant now) {
        return keys.lockOverlappingPredecessor(rolled.id, now).chain(previous -> {
            if (previous == null) {
                return Uni.createFrom().voidItem();
            }
            previous.expiresAt = now;
            previous.markExpired(now);
            return audit.record(previous, Action.EXPIRE, caller.actor(), caller.requestId(), now,
                    details("reason", "its replacement " + rolled.id + " was rolled"))
                    .call(() -> events.publish(KeysTopic.EXPIRED, previous, now, KeyEvents.SUPERSEDED_REASON));
        });
    }

    /** Marks keys whose expires_at has passed as expired, with an audit entry and an event each. */
    @WithTransaction
    public Uni<Integer> expireDue(int max) {
        Instant now = time.now();
        return keys.lockDueForExpiry(now, max).chain(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (ApiKey key : due) {
                key.markExpired(now);
                chain = chain.call(() -> audit.record(key, Action.EXPIRE, Caller.SYSTEM_ACTOR, null, now, details("expires_at", key.expiresAt)))
                        .call(() -> events.publish(KeysTopic.EXPIRED, key, now, KeyEvents.EXPIRED_REASON));
            }
            return chain.replaceWith(due.size());
        });
    }

    private Uni<ApiKey> lock(Caller caller, String id) {
        return keys.lockInOrg(caller.orgId(), id).onItem().ifNull().failWith(() -> new NotFoundException("API key " + id));
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
