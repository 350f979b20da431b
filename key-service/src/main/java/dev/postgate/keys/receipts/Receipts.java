package dev.postgate.keys.receipts;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.concurrent.CallerContext;
import dev.postgate.common.kafka.InstancesTopic;
import dev.postgate.common.time.Instants;
import dev.postgate.keys.receipts.InstanceTracker.Ack;
import dev.postgate.keys.receipts.InstanceTracker.Instance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Revocation receipts (SPEC section 6): after a key change that must reach every instance, which
 * live instances have applied the key's new {@code seq}, waited for up to a deadline, stored in
 * key-service's schema, and completed later by every replica as acknowledgements arrive.
 * <p>
 * A receipt is {@code confirmed} when at least one instance was expected, every expected one
 * acknowledged the change, and the replica that made it had read the instances' topic up to end
 * offsets taken after the change committed (so no instance live then was unknown to it), and had
 * turned no instance away for its cap of 256 that may have been live since the commit (a deviation
 * on the safe side: SPEC section 6 only says at most 256 instances are tracked). The
 * expected set is the instances live when the wait starts (after the commit) plus those live once
 * the topic is read that far. A receipt stored before then (a short wait) is completed once it is
 * ({@link Completion}).
 * <p>
 * Deviation from SPEC section 6, on the safe side: a live instance whose alive says
 * {@code cache_trusted: false} is not counted as applied. Its flag can be a moment old, it may
 * trust its cache again by reading heartbeats older than the change, and a verification it
 * started before the change can still answer after it; it counts once it acknowledges the
 * change, which a consuming instance does as soon as it reads it.
 */
@ApplicationScoped
public class Receipts {
    private static final Logger LOG = Logger.getLogger(Receipts.class);
    static final int MAX_MISSING_SHOWN = 20;

    /** The receipt as answers show it: opaque instance labels, never hosts or ports. */
    @RegisterForReflection
    public record Propagation(String status, long seq, int expected, int confirmed, long elapsedMs, List<AppliedOn> instances,
            List<Missing> missing) {
    }

    @RegisterForReflection
    public record AppliedOn(String instance, String service, Instant appliedAt, Long lagMs) {
    }

    @RegisterForReflection
    public record Missing(String instance, String service, Instant lastSeenAt) {
    }

    @Inject
    InstanceTracker tracker;

    /**
     * The receipts this replica is waiting for, by key: an acknowledgement that one of them will
     * store needs no update of its own ({@link #late}).
     */
    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    private Timer toConfirmation;
    private Counter partial;

    @PostConstruct
    void metrics() {
        toConfirmation = Timer.builder("postgate_key_propagation")
                .description("From a key change's commit to its confirmation by every live instance")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        partial = Counter.builder("postgate_key_propagation_partial").description("Receipts answered partial")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        tracker.onAck(this::late);
    }

    /** A receipt being waited for: its expected instances, and whether the topic was read far enough. */
    private final class Waiter implements Runnable {
        final String keyId;
        final long seq;
        final long committedMillis;
        final Map<String, Instance> expected = new LinkedHashMap<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Map<TopicPartition, Long> ends;
        volatile boolean caughtUp;
        /** Set once the receipt is stored as this waiter saw it: later acknowledgements are late updates. */
        private boolean closed;
        /** Set when its store begins: what the topic showed is settled (only acknowledgements still merge in). */
        private boolean settled;
        /** Acknowledgements this waiter's store carries, for the key's other receipts once it is stored. */
        private final List<Ack> carried = new ArrayList<>();

        Waiter(String keyId, long seq, Instant committedAt) {
            this.keyId = keyId;
            this.seq = seq;
            this.committedMillis = committedAt.toEpochMilli();
            // Live now, after the commit (committedAt is the change's own timestamp, taken before it committed).
            tracker.liveAt(System.currentTimeMillis()).forEach(i -> expected.put(i.id(), i));
        }

        /** On the consumer thread after each poll, and on the admin client's once the end offsets are known. */
        @Override
        public synchronized void run() {
            if (settled) {
                return;
            }
            if (!caughtUp && ends != null && tracker.readUpTo(ends)) {
                caughtUp = true;
                // Every instance live once the topic is read past the commit: one that announced itself meanwhile may
                // have cached the key before reading its change.
                tracker.liveAt(System.currentTimeMillis()).forEach(i -> expected.putIfAbsent(i.id(), i));
            }
            // No instance to wait for (partial: nothing confirms it), or every expected one applied it.
            if (caughtUp && (expected.isEmpty() || expected.keySet().stream().allMatch(this::applied))) {
                done.complete(null);
            }
        }

        /** Whether this waiter's store will carry the acknowledgement (already recorded by the tracker). */
        synchronized boolean carries(Ack ack) {
            if (closed || ack.seq() < seq) {
                return false;
            }
            carried.add(ack);
            return true;
        }

        synchronized void close() {
            closed = true;
        }

        /** From here on, nothing the consumer or the end offsets show changes its expected set or completeness. */
        synchronized void settle() {
            settled = true;
        }

        /** The acknowledgements it carried (once closed), for the late updates of the key's other receipts; once. */
        synchronized List<Ack> takeCarried() {
            List<Ack> acks = List.copyOf(carried);
            carried.clear();
            return acks;
        }

        /**
         * For a receipt stored before the topic was read far enough: once it has been, the
         * instances live by then join the expected ones, and the receipt is complete.
         */
        synchronized Snapshot completeNow() {
            caughtUp = true;
            // Live at the commit, as the topic read this far shows it, and live now: later than the wait, an instance
            // that announced itself just before the commit may look gone by now only because this replica was behind.
            tracker.liveAt(committedMillis).forEach(i -> expected.putIfAbsent(i.id(), i));
            tracker.liveAt(System.currentTimeMillis()).forEach(i -> expected.putIfAbsent(i.id(), i));
            return snapshot();
        }

        boolean applied(String instance) {
            return appliedAck(instance) != null;
        }

        /** The instance's acknowledgement of this change (or of a later one), or null. */
        private Ack appliedAck(String instance) {
            Ack ack = tracker.ack(keyId, instance);
            return ack != null && ack.seq() >= seq ? ack : null;
        }

        synchronized Snapshot snapshot() {
            List<Expected> expectedNow = new ArrayList<>(expected.size());
            Map<String, Applied> appliedNow = new LinkedHashMap<>();
            for (Instance instance : expected.values()) {
                Instance latest = tracker.instance(instance.id());
                long lastSeen = latest == null ? instance.lastAliveMillis() : latest.lastAliveMillis();
                expectedNow.add(new Expected(instance.id(), instance.service(), Instant.ofEpochMilli(lastSeen)));
                Ack ack = appliedAck(instance.id());
                if (ack != null) {
                    appliedNow.put(instance.id(), Applied.of(ack));
                }
            }
            // Complete: every instance live since the commit is known (the topic read far enough, none turned away for the cap).
            boolean complete = caughtUp && tracker.tracksEveryInstanceLiveSince(committedMillis);
            return new Snapshot(expectedNow, appliedNow, complete, confirmed(expected.size(), appliedNow.size(), complete));
        }
    }

    private record Snapshot(List<Expected> expected, Map<String, Applied> applied, boolean complete, boolean confirmed) {
    }

    /**
     * An instance a receipt waits for, as {@code propagation_receipts.expected} keeps it (a JSON
     * array of these; the statements below find an entry by its {@code instance}).
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Expected(String instance, String service, Instant lastSeenAt) {
    }

    /** An instance's acknowledgement, as {@code propagation_receipts.applied} keeps it under the instance's id. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Applied(Instant appliedAt, Long lagMs) {
        static Applied of(Ack ack) {
            return new Applied(ack.appliedAt(), ack.lagMs());
        }
    }

    private static final TypeReference<List<Expected>> EXPECTED = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Applied>> APPLIED = new TypeReference<>() {
    };

    /**
     * A receipt is confirmed when its list of instances was complete (the tracker had caught up)
     * and every one of them, at least one, has applied the change.
     */
    private static boolean confirmed(int expected, int applied, boolean complete) {
        return complete && expected > 0 && applied == expected;
    }

    /**
     * Waits until every live instance has applied the key's change {@code seq} (committed at
     * {@code committedAt}), or until {@code wait} after the commit; stores the receipt and answers it.
     * The wait and the store run whether or not anyone still listens: a request whose client went
     * away is cancelled, and the receipt of its change must be stored all the same.
     */
    public Uni<Propagation> await(String keyId, long seq, Instant committedAt, Duration wait) {
        Uni<Propagation> receipt = waitAndStore(keyId, seq, committedAt, wait).memoize().indefinitely();
        receipt.subscribe().with(stored -> { }, failure -> LOG.warnf("Receipt of key %s (seq %d) not stored: %s", keyId, seq,
                failure.getMessage()));
        return receipt;
    }

    private Uni<Propagation> waitAndStore(String keyId, long seq, Instant committedAt, Duration wait) {
        Executor caller = CallerContext.capture();
        Waiter waiter = new Waiter(keyId, seq, committedAt);
        waiting.compute(keyId, (key, waiters) -> {
            Set<Waiter> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
            set.add(waiter);
            return set;
        });
        tracker.endOffsets().whenComplete((ends, error) -> {
            if (error == null) {
                waiter.ends = ends;
                // The acknowledgements may all be in already: look now rather than at the consumer's next poll,
                // which waits up to its poll bound when no record comes.
                waiter.run();
            } else {
                LOG.debugf("No end offsets of %s: %s", InstancesTopic.NAME, error.getMessage());
            }
        });
        tracker.onEachPoll(waiter);
        storeWaiting(waiter, committedAt);
        // At least a millisecond: a receipt whose wait is over is what the topic showed by then.
        long left = Math.max(1, wait.toMillis() - Math.max(0, System.currentTimeMillis() - waiter.committedMillis));
        return Uni.createFrom().completionStage(waiter.done)
                .ifNoItem().after(Duration.ofMillis(left)).recoverWithItem((Void) null)
                .eventually(() -> tracker.removeOnEachPoll(waiter))
                // Stored from the request's context (the database answers there too), not from the consumer's thread.
                .emitOn(caller)
                .chain(() -> store(waiter, committedAt))
                .eventually(() -> {
                    stopWaiting(waiter);
                    // The key's other receipts (an older change's, or a newer one stored meanwhile) get what this one carried.
                    waiter.takeCarried().forEach(this::late);
                });
    }

    /** Stores the receipt as it stands (merged with what other replicas added) and answers it. */
    private Uni<Propagation> store(Waiter waiter, Instant committedAt) {
        waiter.settle();
        Snapshot snapshot = waiter.snapshot();
        long waited = Math.max(0, System.currentTimeMillis() - waiter.committedMillis);
        Instant confirmedAt = snapshot.confirmed() ? Instant.now() : null;
        if (snapshot.confirmed()) {
            toConfirmation.record(waited, TimeUnit.MILLISECONDS);
        } else {
            partial.increment();
        }
        return upsert(waiter.keyId, waiter.seq, committedAt, snapshot, confirmedAt, waited)
                .chain(row -> {
                    // An acknowledgement read while the row did not exist yet would be lost: merge it now. From here on,
                    // acknowledgements update the stored row themselves.
                    stopWaiting(waiter);
                    Snapshot after = waiter.snapshot();
                    return after.applied().equals(snapshot.applied()) ? Uni.createFrom().item(row)
                            : upsert(waiter.keyId, waiter.seq, committedAt, after, after.confirmed() ? Instant.now() : null, waited);
                })
                .invoke(() -> {
                    if (!snapshot.complete()) {
                        tracker.onEachPoll(new Completion(waiter));
                    }
                })
                .map(row -> view(row, snapshot.confirmed()));
    }

    /**
     * Stores the receipt as its wait starts, so that the key's page, a repeated revoke and a leaked
     * key's page read it meanwhile (SPEC section 6): partial and {@code waiting} until the wait's
     * own store replaces it ({@link #upsert}). Not waited for: a wait's store that comes first
     * wins, this insert then changes nothing.
     */
    private void storeWaiting(Waiter waiter, Instant committedAt) {
        Snapshot snapshot = waiter.snapshot();
        pool.preparedQuery("""
                insert into propagation_receipts (key_id, seq, committed_at, expected, applied, complete, confirmed_at, waited_ms, waiting)
                values ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, false, null, 0, true)
                on conflict (key_id, seq) do nothing""")
                .execute(Tuple.from(new Object[] {waiter.keyId, waiter.seq, Instants.utc(committedAt), json(snapshot.expected()),
                        json(snapshot.applied())}))
                .subscribe().with(rows -> { }, failure -> LOG.warnf("Receipt of key %s (seq %d) not stored as its wait starts: %s",
                        waiter.keyId, waiter.seq, failure.getMessage()));
    }

    /** How long a receipt stored incomplete waits at most for this replica to read the instances' topic far enough. */
    static final Duration COMPLETION_LIMIT = Duration.ofSeconds(60);

    /**
     * Completes a receipt stored before this replica had read the instances' topic up to the end
     * offsets taken after the change committed (a short {@code wait_ms}, or a slow topic): once it
     * has, on the consumer thread after a poll, the receipt lists every instance live by then with
     * the acknowledgements already read, and is complete, so that it is confirmed when every one of
     * them has applied the change (now, or by later acknowledgements). Without the end offsets, or
     * if the topic is not read that far within {@link #COMPLETION_LIMIT}, it stays partial.
     */
    private final class Completion implements Runnable {
        private final Waiter waiter;
        private final long giveUpAt = System.currentTimeMillis() + COMPLETION_LIMIT.toMillis();

        Completion(Waiter waiter) {
            this.waiter = waiter;
        }

        @Override
        public void run() {
            Map<TopicPartition, Long> ends = waiter.ends;
            boolean readFarEnough = ends != null && tracker.readUpTo(ends);
            if (!readFarEnough && System.currentTimeMillis() < giveUpAt) {
                return;
            }
            tracker.removeOnEachPoll(this);
            Snapshot completed = readFarEnough ? waiter.completeNow() : null;
            // Not complete after all while an instance turned away for the tracker's cap may be live: it stays partial.
            if (completed != null && completed.complete()) {
                complete(waiter, completed);
            }
        }
    }

    /**
     * Stores a completed receipt's instances and acknowledgements ({@link Completion}), confirmed
     * when all have applied it. An acknowledgement of an instance that joined, read while this
     * statement was on its way, found no receipt expecting that instance: it is merged afterwards.
     */
    private void complete(Waiter waiter, Snapshot snapshot) {
        pool.preparedQuery("""
                update propagation_receipts
                set expected = $3::text::jsonb,
                    applied = applied || $4::text::jsonb,
                    complete = true,
                    confirmed_at = coalesce(confirmed_at,
                        case when jsonb_array_length($3::text::jsonb) > 0
                                  and not exists (select 1 from jsonb_array_elements($3::text::jsonb) e
                                                  where not ((applied || $4::text::jsonb) ? (e ->> 'instance')))
                             then $5 end)
                where key_id = $1 and seq = $2 and not complete""")
                .execute(Tuple.from(new Object[] {waiter.keyId, waiter.seq, json(snapshot.expected()), json(snapshot.applied()),
                        Instants.utc(Instant.now())}))
                .subscribe().with(rows -> {
                    Map<String, Applied> merged = snapshot.applied();
                    for (Expected instance : snapshot.expected()) {
                        Ack ack = merged.containsKey(instance.instance()) ? null : waiter.appliedAck(instance.instance());
                        if (ack != null) {
                            late(ack);
                        }
                    }
                }, failure -> LOG.warnf("Receipt of %s not completed: %s", waiter.keyId, failure.getMessage()));
    }

    private Uni<Row> upsert(String keyId, long seq, Instant committedAt, Snapshot snapshot, Instant confirmedAt, long waited) {
        return pool.preparedQuery("""
                insert into propagation_receipts (key_id, seq, committed_at, expected, applied, complete, confirmed_at, waited_ms)
                values ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, $6, $7, $8)
                on conflict (key_id, seq) do update
                    set expected = case when propagation_receipts.waiting then excluded.expected else propagation_receipts.expected end,
                        complete = case when propagation_receipts.waiting then excluded.complete else propagation_receipts.complete end,
                        waited_ms = case when propagation_receipts.waiting then excluded.waited_ms else propagation_receipts.waited_ms end,
                        waiting = false,
                        applied = propagation_receipts.applied || excluded.applied,
                        confirmed_at = coalesce(propagation_receipts.confirmed_at, excluded.confirmed_at)
                returning *""")
                .execute(Tuple.from(new Object[] {keyId, seq, Instants.utc(committedAt), json(snapshot.expected()), json(snapshot.applied()),
                        snapshot.complete(), Instants.utc(confirmedAt), waited}))
                .map(rows -> rows.iterator().next());
    }

    /**
     * An acknowledgement read from the topic (on the consumer thread, on every replica): added to
     * the receipts of the key it completes, which become confirmed when it was the last expected.
     */
    private void stopWaiting(Waiter waiter) {
        waiter.close();
        waiting.computeIfPresent(waiter.keyId, (key, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    private void late(Ack ack) {
        Set<Waiter> waiters = waiting.get(ack.keyId());
        if (waiters != null && waiters.stream().anyMatch(w -> w.carries(ack))) {
            // The waiter's store carries it (the tracker recorded it before telling us; the waiter closes before its last
            // look): no statement now, while the revoke that waits is still to be answered; the key's other receipts get
            // it when the waiter closes.
            return;
        }
        Map<String, Applied> applied = Map.of(ack.instance(), Applied.of(ack));
        List<Expected> expected = List.of(new Expected(ack.instance(), null, null));
        pool.preparedQuery("""
                update propagation_receipts
                set applied = applied || $4::text::jsonb,
                    confirmed_at = coalesce(confirmed_at,
                        case when complete and not exists (select 1 from jsonb_array_elements(expected) e
                                                           where not ((applied || $4::text::jsonb) ? (e ->> 'instance')))
                             then $5 end)
                where key_id = $1 and seq <= $2 and expected @> $3::text::jsonb and not applied ? $6""")
                .execute(Tuple.from(new Object[] {ack.keyId(), ack.seq(), json(expected), json(applied), Instants.utc(Instant.now()),
                        ack.instance()}))
                .subscribe().with(rows -> { }, failure -> LOG.warnf("Receipt of %s not updated: %s", ack.keyId(), failure.getMessage()));
    }

    /** The key's latest receipt, with late confirmations; null if it has none. */
    public Uni<Propagation> latest(String keyId) {
        return latestRow(keyId).map(row -> row == null ? null : view(row, null));
    }

    private Uni<Row> latestRow(String keyId) {
        return pool.preparedQuery("select * from propagation_receipts where key_id = $1 order by seq desc limit 1")
                .execute(Tuple.of(keyId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    /** The longest a change's answer waits for its receipt (SPEC section 6: {@code wait_ms} up to 5000). */
    public static final long LONGEST_WAIT_MS = 5000;

    /** How often a repeated revoke looks again for the receipt the first one is still waiting for. */
    static final Duration REPEAT_LOOKS_EVERY = Duration.ofMillis(25);

    /**
     * A repeated revoke's receipt (SPEC section 6: it answers the stored receipt): the key's
     * latest, once the wait of the change made at {@code changedAt} (the revocation) has ended, or
     * as it stands when this request's own {@code wait} runs out. A change older than the longest
     * wait is not waited for: a replica that stopped during its wait left its receipt as it stood.
     */
    public Uni<Propagation> afterItsWait(String keyId, Instant changedAt, Duration wait) {
        Executor caller = CallerContext.capture();
        long deadline = System.currentTimeMillis() + wait.toMillis();
        long waitsEnd = changedAt.toEpochMilli() + LONGEST_WAIT_MS + REPEAT_LOOKS_EVERY.toMillis();
        return lookUntil(keyId, changedAt, Math.min(deadline, waitsEnd)).emitOn(caller);
    }

    private Uni<Propagation> lookUntil(String keyId, Instant changedAt, long until) {
        return latestRow(keyId).chain(row -> {
            boolean waited = row != null && !row.getBoolean("waiting")
                    && !row.getOffsetDateTime("committed_at").toInstant().isBefore(changedAt);
            if (waited || System.currentTimeMillis() >= until) {
                return Uni.createFrom().item(row == null ? null : view(row, null));
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(REPEAT_LOOKS_EVERY).chain(() -> lookUntil(keyId, changedAt, until));
        });
    }

    /** What this replica's wait for the key's change {@code seq} has seen so far, or null if it is not waiting for it. */
    private Snapshot ongoing(String keyId, long seq) {
        Set<Waiter> waiters = waiting.get(keyId);
        if (waiters == null) {
            return null;
        }
        return waiters.stream().filter(w -> w.seq == seq).findFirst().map(Waiter::snapshot).orElse(null);
    }

    /**
     * The view of a stored receipt. {@code answered}: for the change's own answer, whether it
     * was confirmed then; null when read later, when confirmed means the receipt was complete and
     * every expected instance has applied it since.
     */
    private Propagation view(Row row, Boolean answered) {
        List<Expected> expected = parse(String.valueOf(row.getValue("expected")), EXPECTED);
        Map<String, Applied> applied = parse(String.valueOf(row.getValue("applied")), APPLIED);
        boolean complete = row.getBoolean("complete");
        boolean stillWaiting = row.getBoolean("waiting");
        // Still waited for: where this replica is the one waiting, what it has seen so far is newer than the row.
        Snapshot ongoing = stillWaiting ? ongoing(row.getString("key_id"), row.getLong("seq")) : null;
        if (ongoing != null) {
            expected = ongoing.expected();
            applied = new LinkedHashMap<>(applied);
            applied.putAll(ongoing.applied());
            complete = ongoing.complete();
        }
        List<AppliedOn> on = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        for (Expected e : expected) {
            String label = InstancesTopic.label(e.instance(), e.service());
            Applied a = applied.get(e.instance());
            if (a != null) {
                on.add(new AppliedOn(label, e.service(), a.appliedAt(), a.lagMs()));
            } else if (missing.size() < MAX_MISSING_SHOWN) {
                Instance now = tracker.instance(e.instance());
                missing.add(new Missing(label, e.service(), now != null ? Instant.ofEpochMilli(now.lastAliveMillis()) : e.lastSeenAt()));
            }
        }
        int expectedCount = expected.size();
        int confirmedCount = on.size();
        boolean confirmed = answered != null ? answered : confirmed(expectedCount, confirmedCount, complete);
        OffsetDateTime committed = row.getOffsetDateTime("committed_at");
        OffsetDateTime confirmedAt = row.getOffsetDateTime("confirmed_at");
        // A receipt still marked waiting long after its wait (its replica stopped during it) says the longest wait.
        long elapsed = confirmed && confirmedAt != null ? Duration.between(committed, confirmedAt).toMillis()
                : stillWaiting ? Math.min(LONGEST_WAIT_MS, Duration.between(committed.toInstant(), Instant.now()).toMillis())
                : row.getLong("waited_ms");
        return new Propagation((confirmed ? ReceiptStatus.CONFIRMED : ReceiptStatus.PARTIAL).wire(), row.getLong("seq"), expectedCount, confirmedCount,
                Math.max(0, elapsed), on, missing);
    }

    private String json(Object stored) {
        try {
            return mapper.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T parse(String text, TypeReference<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
