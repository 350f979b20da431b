package dev.postgate.keyclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.MutableClock;

import dev.postgate.common.auth.KeyIdentity;
import dev.postgate.common.keys.KeyMode;

class VerifiedKeyCacheTest {
    /** The instance's announcement the entries belong to ({@link InstanceReports#announcementNow}). */
    private static final long ANNOUNCED = 1;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final VerifiedKeyCache cache = new VerifiedKeyCache(1000, Duration.ofMinutes(10), Duration.ofSeconds(60), clock);

    private static KeyVerdict usable(String id, long seq, Instant expiresAt) {
        return KeyVerdict.usable(new KeyIdentity(id, "k", "org_1", Set.of("posts:read"), List.of(), KeyMode.LIVE, expiresAt), seq);
    }

    @Test
    void aVerifiedKeyIsServedFromTheCache() {
        assertTrue(cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null)));
        assertEquals(KeyVerdict.Kind.USABLE, cache.get(ANNOUNCED, "h1").kind());
    }

    /** What a cache that is not trusted still answers: refusals only (unknown, revoked, expired), never a usable key. */
    @Test
    void aRefusalIsReadWithoutAnAnnouncementAndAUsableKeyIsNot() {
        cache.offer(ANNOUNCED, "usable", usable("key_1", 1, clock.instant().plusSeconds(30)));
        cache.offer(ANNOUNCED, "expired", KeyVerdict.refused(KeyVerdict.Kind.EXPIRED, "key_2", 2, null));
        cache.offer(ANNOUNCED, "revoked", KeyVerdict.refused(KeyVerdict.Kind.REVOKED, "key_3", 2, null));
        cache.offer(ANNOUNCED, "unknown", KeyVerdict.unknown());
        assertNull(cache.refusal("usable"));
        assertNull(cache.refusal("never-seen"));
        assertEquals(KeyVerdict.Kind.EXPIRED, cache.refusal("expired").kind());
        assertEquals(KeyVerdict.Kind.REVOKED, cache.refusal("revoked").kind());
        assertEquals(KeyVerdict.Kind.UNKNOWN, cache.refusal("unknown").kind());
    }

    @Test
    void anyEventAboutAKeyDropsIt() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        assertTrue(cache.onEvent("key_1", 2, null));
        assertNull(cache.get(ANNOUNCED, "h1"));
    }

    @Test
    void aRevocationEventTurnsTheCachedKeyIntoARefusalAtOnce() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        assertTrue(cache.onEvent("key_1", 2, KeyVerdict.Kind.REVOKED));
        assertEquals(KeyVerdict.Kind.REVOKED, cache.get(ANNOUNCED, "h1").kind());
        // A late answer from before the revocation cannot bring the key back.
        assertFalse(cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null)));
        assertEquals(KeyVerdict.Kind.REVOKED, cache.get(ANNOUNCED, "h1").kind());
    }

    /**
     * Revoked and expired are final: a later change that is not (a rename of the ended key, an
     * api_key.updated, or one of a lower seq arriving late) leaves the cached refusal in place, so
     * the key is refused without asking key-service again.
     */
    @Test
    void aFinalRefusalOutlivesLaterEventsThatAreNotFinal() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        cache.onEvent("key_1", 3, KeyVerdict.Kind.REVOKED);
        assertTrue(cache.onEvent("key_1", 2, null), "a late event of the rename before the revocation");
        assertEquals(KeyVerdict.Kind.REVOKED, cache.get(ANNOUNCED, "h1").kind());
        assertTrue(cache.onEvent("key_1", 4, null), "a rename after the revocation");
        assertEquals(KeyVerdict.Kind.REVOKED, cache.get(ANNOUNCED, "h1").kind());
    }

    @Test
    void anExpiryEventTurnsTheCachedKeyIntoAnExpiredOne() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        cache.onEvent("key_1", 2, KeyVerdict.Kind.EXPIRED);
        assertEquals(KeyVerdict.Kind.EXPIRED, cache.get(ANNOUNCED, "h1").kind());
    }

    @Test
    void aRevocationOfAKeyNotCachedHereCachesNothing() {
        assertFalse(cache.onEvent("key_9", 3, KeyVerdict.Kind.REVOKED));
        assertEquals(0, cache.size());
    }

    @Test
    void anAnswerOlderThanTheLastEventIsNotCached() {
        // A verification was in flight (it read seq 3) when the revocation (seq 4) arrived.
        cache.onEvent("key_1", 4, null);
        assertFalse(cache.offer(ANNOUNCED, "h1", usable("key_1", 3, null)));
        assertNull(cache.get(ANNOUNCED, "h1"));
    }

    @Test
    void anAnswerAsNewAsTheLastEventIsCached() {
        cache.onEvent("key_1", 4, null);
        assertTrue(cache.offer(ANNOUNCED, "h1", KeyVerdict.refused(KeyVerdict.Kind.REVOKED, "key_1", 4, null)));
        assertEquals(KeyVerdict.Kind.REVOKED, cache.get(ANNOUNCED, "h1").kind());
    }

    @Test
    void eventsOutOfOrderKeepTheHighestSeq() {
        cache.onEvent("key_1", 5, null);
        cache.onEvent("key_1", 3, null);
        assertFalse(cache.offer(ANNOUNCED, "h1", usable("key_1", 4, null)));
    }

    @Test
    void aCachedKeyIsExpiredOnceItsExpiryPasses() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, clock.instant().plusSeconds(30)));
        assertEquals(KeyVerdict.Kind.USABLE, cache.get(ANNOUNCED, "h1").kind());
        clock.advance(Duration.ofSeconds(31));
        KeyVerdict later = cache.get(ANNOUNCED, "h1");
        // Either evicted (the entry's lifetime ended) or reported expired: never usable.
        assertTrue(later == null || later.kind() == KeyVerdict.Kind.EXPIRED);
    }

    @Test
    void entriesDoNotOutliveTheirTtl() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        clock.advance(Duration.ofMinutes(11));
        assertNull(cache.get(ANNOUNCED, "h1"));
    }

    @Test
    void unknownKeysAreForgottenAfterTheirShortTtl() {
        cache.offer(ANNOUNCED, "h9", KeyVerdict.unknown());
        assertEquals(KeyVerdict.Kind.UNKNOWN, cache.get(ANNOUNCED, "h9").kind());
        clock.advance(Duration.ofSeconds(61));
        assertNull(cache.get(ANNOUNCED, "h9"));
    }

    @Test
    void theCacheIsBounded() {
        VerifiedKeyCache small = new VerifiedKeyCache(100, Duration.ofMinutes(10), Duration.ofSeconds(60), clock);
        for (int i = 0; i < 1000; i++) {
            small.offer(ANNOUNCED, "h" + i, usable("key_" + i, 1, null));
        }
        small.cleanUp();
        assertTrue(small.size() <= 100, "size " + small.size());
    }

    /**
     * Found by review: the entry of a key whose cache time ran out was removed first and its
     * key-id index only afterwards, by a listener on the evicting thread. A request that verified
     * the key again in between had its new index entry removed by that late listener, so the key's
     * revocation found no entry to turn into a refusal: the instance applied the event (and
     * confirmed it) while it went on serving the key. Here the evicting thread's upkeep is held
     * back until the key is verified again, as a descheduled thread would.
     */
    @Test
    void aKeyVerifiedAgainWhileItsExpiredEntryIsEvictedIsStillRevoked() {
        List<Runnable> heldBack = new ArrayList<>();
        VerifiedKeyCache slowUpkeep = new VerifiedKeyCache(1000, Duration.ofMinutes(10), Duration.ofSeconds(60), clock, heldBack::add);
        slowUpkeep.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        clock.advance(Duration.ofMinutes(11));
        slowUpkeep.cleanUp();
        assertNull(slowUpkeep.get(ANNOUNCED, "h1"), "the entry's cache time ran out");

        assertTrue(slowUpkeep.offer(ANNOUNCED, "h1", usable("key_1", 1, null)), "verified again");
        heldBack.forEach(Runnable::run);
        assertTrue(slowUpkeep.onEvent("key_1", 2, KeyVerdict.Kind.REVOKED));
        assertEquals(KeyVerdict.Kind.REVOKED, slowUpkeep.get(ANNOUNCED, "h1").kind());
    }

    /**
     * An instance whose alives stopped is left out of the receipts of revocations made meanwhile:
     * once announced again it serves nothing it cached before, and an answer from a verification
     * that started before the break is used but not kept.
     */
    @Test
    void entriesOfAnEarlierAnnouncementAreNotServed() {
        cache.offer(ANNOUNCED, "h1", usable("key_1", 1, null));
        cache.offer(ANNOUNCED, "h9", KeyVerdict.unknown());
        long again = ANNOUNCED + 1;
        assertNull(cache.get(again, "h1"));
        assertNull(cache.get(again, "h9"));
        assertTrue(cache.offer(ANNOUNCED, "h2", usable("key_2", 1, null)), "the answer itself is current");
        assertNull(cache.get(again, "h2"), "but it is not kept");
        assertTrue(cache.offer(again, "h1", usable("key_1", 1, null)));
        assertEquals(KeyVerdict.Kind.USABLE, cache.get(again, "h1").kind());
        cache.onEvent("key_1", 2, KeyVerdict.Kind.REVOKED);
        assertEquals(KeyVerdict.Kind.REVOKED, cache.get(again, "h1").kind(), "events still apply to the new entries");
    }
}
