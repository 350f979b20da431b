package dev.postgate.keyclient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * Verified keys by the SHA-256 of the key (the key itself is never kept), with the rules of
 * SPEC section 6:
 * <ul>
 * <li>any event about a key drops its usable entry; a revocation or expiry replaces it with
 * that refusal ({@link #onEvent});</li>
 * <li>an answer from verify is cached only if its {@code seq} is at least the last {@code seq}
 * seen in events for that key, so a verification that was in flight during a revocation cannot
 * re-admit the key ({@link #offer});</li>
 * <li>an entry never outlives the key's {@code expires_at}, and the cache is bounded;</li>
 * <li>entries belong to one unbroken announcement of this instance (its number,
 * {@link InstanceReports#announcementNow}):
 * the first read or answer of a later one drops them all. key-service leaves an instance whose
 * alives stopped out of the receipts of revocations made meanwhile, so when it is announced again
 * no answer verified before must be served: its revocation event may not be read yet.</li>
 * </ul>
 * Whether the cache may be used at all (the event stream is live) is decided by the caller.
 */
public class VerifiedKeyCache {
    private final Clock clock;
    private final Cache<String, KeyVerdict> byHash;
    private final ConcurrentMap<String, String> hashByKeyId = new ConcurrentHashMap<>();
    private final Cache<String, Long> lastEventSeq;
    private final Object lock = new Object();
    /** The announcement the entries belong to (0: none yet); written under {@link #lock}. */
    private volatile long announcement;

    public VerifiedKeyCache(int maxEntries, Duration ttl, Duration unknownTtl, Clock clock) {
        this(maxEntries, ttl, unknownTtl, clock, Runnable::run);
    }

    /** {@code executor} runs Caffeine's upkeep (a test may hold it back, as a busy thread would). */
    VerifiedKeyCache(int maxEntries, Duration ttl, Duration unknownTtl, Clock clock, Executor executor) {
        this.clock = clock;
        this.byHash = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(executor)
                .expireAfter(new Expiry<String, KeyVerdict>() {
                    @Override
                    public long expireAfterCreate(String hash, KeyVerdict verdict, long now) {
                        return lifetime(verdict, ttl, unknownTtl).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String hash, KeyVerdict verdict, long now, long current) {
                        return lifetime(verdict, ttl, unknownTtl).toNanos();
                    }

                    @Override
                    public long expireAfterRead(String hash, KeyVerdict verdict, long now, long current) {
                        return current;
                    }
                })
                // Run as part of the eviction itself, so that a key verified again meanwhile (its index entry
                // written again, for the same hash) keeps it. Explicit removals keep the index themselves.
                .evictionListener((String hash, KeyVerdict verdict, RemovalCause cause) -> {
                    if (verdict != null && verdict.keyId() != null) {
                        hashByKeyId.remove(verdict.keyId(), hash);
                    }
                })
                .build();
        // Seqs outlive cache entries so that a late answer is still recognised as stale; bounded too.
        this.lastEventSeq = Caffeine.newBuilder()
                .maximumSize(maxEntries * 2L)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfterWrite(Duration.ofHours(1))
                .build();
    }

    private Duration lifetime(KeyVerdict verdict, Duration ttl, Duration unknownTtl) {
        return switch (verdict.kind()) {
            case UNKNOWN -> unknownTtl;
            case USABLE -> {
                Duration life = ttl;
                if (verdict.expiresAt() != null) {
                    Duration left = Duration.between(Instant.now(clock), verdict.expiresAt());
                    life = left.isNegative() ? Duration.ZERO : (left.compareTo(ttl) < 0 ? left : ttl);
                }
                yield life;
            }
            // Revocation and expiry are permanent: remember them as long as any usable key.
            case REVOKED, EXPIRED -> ttl;
        };
    }

    /** The cached verdict for a key hash, as of now, or null; {@code announcement}: this instance's announcement now. */
    public KeyVerdict get(long announcement, String keyHash) {
        if (announcement > this.announcement) {
            synchronized (lock) {
                startOver(announcement);
            }
        }
        KeyVerdict verdict = byHash.getIfPresent(keyHash);
        return verdict == null ? null : verdict.at(Instant.now(clock));
    }

    /**
     * The cached refusal for a key hash, as of now (unknown, revoked, or expired by now), or null,
     * whatever announcement the entry belongs to: a refusal is final, so it holds while the cache
     * is not trusted too. A usable entry is null here.
     */
    public KeyVerdict refusal(String keyHash) {
        KeyVerdict verdict = byHash.getIfPresent(keyHash);
        KeyVerdict now = verdict == null ? null : verdict.at(Instant.now(clock));
        return now == null || now.kind() == KeyVerdict.Kind.USABLE ? null : now;
    }

    /** Whether an event newer than this verify answer was seen for its key (the answer must not be used). */
    public boolean isStale(KeyVerdict verdict) {
        if (verdict.keyId() == null) {
            return false;
        }
        Long last = lastEventSeq.getIfPresent(verdict.keyId());
        return last != null && verdict.seq() < last;
    }

    /**
     * Caches a verify answer, from a verification that started in {@code announcement},
     * unless an event newer than it was seen for the key (or a later announcement began: the
     * answer is then used but not kept). Returns false when the answer is stale (the caller should
     * verify again).
     */
    public boolean offer(long announcement, String keyHash, KeyVerdict verdict) {
        synchronized (lock) {
            startOver(announcement);
            if (isStale(verdict)) {
                return false;
            }
            if (announcement < this.announcement) {
                return true;
            }
            byHash.put(keyHash, verdict);
            if (verdict.keyId() != null) {
                hashByKeyId.put(verdict.keyId(), keyHash);
            }
            return true;
        }
    }

    /**
     * An event about the key: remember its seq and drop the usable entry for the key. A revocation
     * or an expiry is final, so the key's entry becomes that refusal at once (no verification
     * needed for the next request); any other event ({@code finalState} null) only drops it.
     * Returns whether an entry was cached for the key.
     */
    public boolean onEvent(String keyId, long seq, KeyVerdict.Kind finalState) {
        synchronized (lock) {
            lastEventSeq.asMap().merge(keyId, seq, Math::max);
            String hash = hashByKeyId.remove(keyId);
            if (hash == null) {
                return false;
            }
            KeyVerdict cached = byHash.getIfPresent(hash);
            if (finalState == KeyVerdict.Kind.REVOKED || finalState == KeyVerdict.Kind.EXPIRED) {
                Instant expiresAt = cached == null ? null : cached.expiresAt();
                byHash.put(hash, KeyVerdict.refused(finalState, keyId, Math.max(seq, cached == null ? 0 : cached.seq()), expiresAt));
                hashByKeyId.put(keyId, hash);
            } else if (cached != null && (cached.kind() == KeyVerdict.Kind.REVOKED || cached.kind() == KeyVerdict.Kind.EXPIRED)) {
                // Final: a later change that is not (a rename of the ended key, or a lower seq arriving late) changes nothing.
                hashByKeyId.put(keyId, hash);
            } else {
                byHash.invalidate(hash);
            }
            return true;
        }
    }

    /** Under {@link #lock}: a later announcement than the entries' drops them (the seqs seen in events stay). */
    private void startOver(long now) {
        if (now > announcement) {
            byHash.invalidateAll();
            hashByKeyId.clear();
            announcement = now;
        }
    }

    public long size() {
        return byHash.estimatedSize();
    }

    /** Runs pending evictions now (Caffeine does it lazily). */
    void cleanUp() {
        byHash.cleanUp();
    }
}
