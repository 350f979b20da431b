package dev.postgate.keys.keys;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.kafka.KeysTopic;
import dev.postgate.common.outbox.Outbox;
import io.smallrye.mutiny.Uni;

/** Writes a key's event to the outbox in the transaction of its change (record key = key id). */
@ApplicationScoped
public class KeyEvents {
    /** A revocation's reason when the caller gives none. */
    public static final String REVOKED_REASON = "revoked";
    /** The revocation reason of a leaked key, in its audit entry and its event (SPEC section 10). */
    public static final String LEAKED_REASON = "leaked";
    /** The reason of a roll's two events: the old key's and its successor's. */
    public static final String ROLLED_REASON = "rolled";
    /** A rolled key whose overlap ended early, because its successor was rolled in turn. */
    public static final String SUPERSEDED_REASON = "superseded";
    public static final String EXPIRED_REASON = "expired";

    @Inject
    Outbox outbox;

    public Uni<Void> publish(String type, ApiKey key, Instant at, String reason) {
        return outbox.add(KeysTopic.NAME, key.id, eventOf(type, key, at, reason));
    }

    /** The event of a key's change (the key as it is after the change). */
    public KeyEvent eventOf(String type, ApiKey key, Instant at, String reason) {
        return new KeyEvent(Ids.newId(Ids.EVENT), type, key.id, key.orgId, key.seq, at, KeyEvent.VERSION, reason,
                key.expiresAt, KeysTopic.ROLLED.equals(type) ? key.rolledTo : null);
    }
}
