package dev.postgate.common.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.PartitionInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.api.Ids;
import dev.postgate.common.concurrent.CallerContext;
import dev.postgate.common.concurrent.Pause;
import dev.postgate.common.hash.Sha256;
import dev.postgate.common.kafka.EventProducer;
import dev.postgate.common.scheduling.ScheduledPass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes outbox rows to Kafka in id order, right after the commit that wrote them
 * ({@link #wake()}) and on a short poll as the safety net. A pass holds a transaction-scoped
 * advisory lock, so with several instances one relays at a time; a request that answers only
 * once its events are out sends its own rows without a pass ({@link #awaitPublished}), so a
 * key's records can arrive out of order (consumers act on the highest {@code seq}). A row is
 * marked published only after the broker acknowledged it, so a crash re-sends (consumers
 * deduplicate by {@code seq}) and never loses. Also sends heartbeats to every partition of the
 * configured topics after each successful pass, which is how consumers know the stream is live.
 * <p>
 * Threads: the relay's loop (woken by each commit, as a consumer's poll loop is by records) and one
 * sending thread for Kafka sends that can block while the broker is unreachable; the clean-up of
 * published rows is {@code @Scheduled} like the services' other periodic work.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * The advisory lock of this service's relay passes ({@link #relayLock}): shared by the
     * instances of one service, not by the services of one database.
     */
    private long relayLock;

    /**
     * The {@code type} of the relay's heartbeat records: sent only after a pass drained the outbox,
     * so they alone tell a consumer that no older event waits (events a request sends itself do not).
     */
    public static final String HEARTBEAT = "heartbeat";

    @ConfigProperty(name = "postgate.db.schema")
    String schema;

    @Inject
    OutboxConfig config;

    @Inject
    Pool pool;

    @Inject
    EventProducer producer;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    private final Object signal = new Object();
    private final AtomicLong requested = new AtomicLong();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /** How long an event a request sends itself is left to it before relay passes take its row anyway. */
    public static final long CLAIM_MILLIS = 2000;

    /** How long an answer waits for its request's events to reach the broker ({@link #awaitPublished()}). */
    public static final Duration ANSWER_WAIT = Duration.ofSeconds(1);
    /**
     * The events (by id) of requests on this instance that send them themselves
     * ({@link Outbox#sendOwnEvents()}), with when each claim lapses: relay passes leave their rows
     * alone until then, so none is sent twice, and take them afterwards, so none is lost.
     */
    private final Map<String, Long> claims = new ConcurrentHashMap<>();
    private ExecutorService sender;
    private Thread loop;
    private volatile boolean running;
    private volatile boolean healthy = true;
    private volatile String lastError;
    private volatile Instant lastPass;
    private volatile Instant lastHeartbeat = Instant.EPOCH;
    private volatile boolean heartbeatInFlight;
    private Counter published;
    private Timer lag;

    private record Waiter(long generation, CompletableFuture<Void> done) {
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        relayLock = relayLock(schema);
        published = registry.counter("postgate_outbox_published_total");
        lag = Timer.builder("postgate_outbox_lag").description("Time from commit to broker acknowledgement")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        registry.gauge("postgate_outbox_healthy", this, r -> r.healthy ? 1 : 0);
        sender = Executors.newSingleThreadExecutor(daemon("postgate-outbox-send"));
        running = true;
        loop = daemon("postgate-outbox-relay").newThread(this::run);
        loop.start();
    }

    /**
     * The advisory lock id of the relay that works the outbox of {@code schema}. Advisory locks
     * belong to the whole database, which the services share, one schema each: with one id for all,
     * a pass of workspace-service (its broker slow to answer) held back key-service's passes and so
     * its heartbeats and revocations.
     */
    public static long relayLock(String schema) {
        return Long.parseUnsignedLong(Sha256.hex("postgate.outbox-relay." + schema).substring(0, 16), 16);
    }

    /** An event the current request will send itself, claimed before its row is written ({@link Outbox#claim}). */
    void claim(String eventId) {
        if (running) {
            claims.put(eventId, System.currentTimeMillis() + CLAIM_MILLIS);
        }
    }

    private void release(List<OutboxEvent> rows) {
        rows.forEach(r -> {
            if (r.eventId != null) {
                claims.remove(r.eventId);
            }
        });
    }

    /** Publish now: called after a transaction that added events has committed. */
    public void wake() {
        requested.incrementAndGet();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /**
     * Wakes the relay and completes once a pass that started after this call has finished, i.e.
     * when everything committed before the call is on the broker (or fails if the relay cannot
     * publish now; the events stay in the outbox and go out later).
     */
    public CompletableFuture<Void> flush() {
        if (!running) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiters.add(new Waiter(requested.incrementAndGet(), done));
        synchronized (signal) {
            signal.notifyAll();
        }
        return done;
    }

    /**
     * Waits at most {@link #ANSWER_WAIT} until the events this request added ({@link Outbox#add}) are on
     * the broker, for answers that promise other services see the change at once: they are sent
     * straight away, without a relay pass, and marked published once the broker acknowledged
     * them (a row's record may then reach the broker twice, which consumers tolerate: they act on
     * {@code seq}). A request that added none, or any while the relay cannot publish, waits for a
     * relay pass ({@link #flush()}). When the broker is down or slow the outbox keeps the events
     * and the answer goes out anyway. Never fails, and continues on the caller's Vert.x context.
     * Call it only after the request's transactions committed.
     */
    public Uni<Void> awaitPublished() {
        return awaitPublished(ANSWER_WAIT);
    }

    /** {@link #awaitPublished()}, waiting at most {@code wait}. */
    public Uni<Void> awaitPublished(Duration wait) {
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            List<OutboxEvent> added = OwnEvents.take();
            boolean direct = !added.isEmpty() && healthy && running;
            if (!direct) {
                release(added);
            }
            Uni<Void> published = Uni.createFrom().completionStage(() -> direct ? sendDirectly(added) : flush())
                    .ifNoItem().after(wait).recoverWithItem((Void) null)
                    .onFailure().recoverWithNull()
                    .replaceWithVoid();
            return published.emitOn(caller);
        });
    }

    /**
     * Sends committed rows now, in id order, and marks them published once the broker has them;
     * if the broker refuses, their claims are dropped and the relay takes them at once.
     */
    private CompletionStage<Void> sendDirectly(List<OutboxEvent> rows) {
        List<OutboxEvent> sorted = rows.stream().sorted(Comparator.comparing(r -> r.id)).toList();
        Supplier<CompletableFuture<Void>> send = () -> CompletableFuture.allOf(sorted.stream()
                .map(r -> producer.send(r.topic, null, r.recordKey, r.payload))
                .toArray(CompletableFuture[]::new));
        CompletableFuture<Void> sent;
        if (sorted.stream().allMatch(r -> producer.sendsWithoutWaiting(r.topic))) {
            // Topics the broker took records of a moment ago: the send returns at once, so it goes out from here
            // without waiting for the sending thread to wake (a millisecond, several on a busy machine).
            sent = send.get();
        } else {
            // On the relay's sending thread: a send can block while the broker is unreachable, never on an event loop.
            try {
                sent = CompletableFuture.supplyAsync(send, sender).thenCompose(all -> all);
            } catch (RejectedExecutionException e) {
                sent = CompletableFuture.failedFuture(e);
            }
        }
        // The marking and the hand-over to the relay hang off the send itself: the caller's future (a copy) may be
        // cancelled when its wait runs out, which must not skip them.
        sent.whenComplete((ignored, failure) -> {
            Long[] ids = sorted.stream().map(r -> r.id).toArray(Long[]::new);
            if (failure != null) {
                release(sorted);
                wake();
                return;
            }
            Instant now = Instant.now();
            sorted.forEach(r -> lag.record(Duration.between(r.createdAt, now)));
            published.increment(sorted.size());
            pool.preparedQuery("update outbox set published_at = now() where id = any($1) and published_at is null")
                    .execute(Tuple.of(ids))
                    // The claims stay until they lapse: a pass whose snapshot predates this update still skips the rows.
                    .subscribe().with(
                            done -> { },
                            error -> {
                                // Still unmarked: the relay sends them again (a duplicate, never a loss).
                                release(sorted);
                                LOG.debugf("Directly sent outbox rows not marked: %s", error.getMessage());
                            });
        });
        return sent.copy();
    }

    private void run() {
        long seen = 0;
        while (running) {
            try {
                synchronized (signal) {
                    if (requested.get() == seen) {
                        signal.wait(config.pollInterval().toMillis());
                    }
                }
                long generation = requested.get();
                sweep();
                seen = generation;
                healthy = true;
                lastError = null;
                lastPass = Instant.now();
                completeWaiters(generation, null);
                maybeHeartbeat();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | LinkageError | AssertionError e) {
                // Anything but an interrupt: report unhealthy and keep relaying (a dead relay thread would lose nothing
                // but would publish nothing either, while looking alive).
                if (healthy) {
                    LOG.warnf("Outbox relay cannot publish now (%s); events stay in the outbox and are retried",
                            e.getClass().getSimpleName());
                }
                healthy = false;
                lastError = e.getClass().getSimpleName();
                completeWaiters(requested.get(), e instanceof RuntimeException r ? r : new IllegalStateException(e));
                Pause.beforeRetry(config.retryBackoff());
            }
        }
    }

    /**
     * The whole outbox, a batch at a time in the order of the ids, past the rows requests are
     * sending themselves (claimed). A row given its id before the rows of a batch can commit after
     * that batch was read, behind where the next one starts: so a sweep of more than one batch
     * that sent anything is followed by another, until one finds the outbox read in one batch or
     * nothing to send.
     */
    private void sweep() {
        boolean again;
        do {
            Batch batch = new Batch(config.batchSize(), 0, 0);
            int batches = 0;
            int sent = 0;
            while (batch.read() == config.batchSize() && running) {
                batch = relayBatch(batch.lastId()).await().atMost(Duration.ofSeconds(60));
                batches++;
                sent += batch.sent();
            }
            again = batches > 1 && sent > 0;
        } while (again && running);
    }

    /** What one batch of a pass did: the rows it read and sent, and the id of the last it read (where the next batch starts). */
    private record Batch(int read, int sent, long lastId) {
    }

    private Uni<Batch> relayBatch(long afterId) {
        return pool.withTransaction(conn -> conn.preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(relayLock))
                .chain(() -> conn.preparedQuery("select id, topic, record_key, payload, created_at from outbox"
                        + " where published_at is null and id > $2 order by id limit $1")
                        .execute(Tuple.of(config.batchSize(), afterId)))
                .chain(rows -> {
                    long lastId = afterId;
                    for (Row row : rows) {
                        lastId = row.getLong("id");
                    }
                    int read = rows.size();
                    long last = lastId;
                    // Claims are read after the rows: a row this pass sees committed after its claim was taken, and a claim
                    // is kept until it lapses, so a row a request sent (and marked after this pass's snapshot) is skipped.
                    Set<String> claimed = claimed();
                    List<Row> pending = new ArrayList<>();
                    rows.forEach(row -> {
                        if (claimed.isEmpty() || !claimed.contains(OutboxEvent.eventIdOf(mapper, row.getString("payload")))) {
                            pending.add(row);
                        }
                    });
                    if (pending.isEmpty()) {
                        return Uni.createFrom().item(new Batch(read, 0, last));
                    }
                    return Uni.createFrom().item(pending)
                            .emitOn(sender)
                            .chain(list -> Uni.createFrom().completionStage(sendAll(list)))
                            .chain(ignored -> conn.preparedQuery("update outbox set published_at = now() where id = any($1)")
                                    .execute(Tuple.of(pending.stream().map(r -> r.getLong("id")).toArray(Long[]::new))))
                            .invoke(() -> record(pending))
                            .replaceWith(new Batch(read, pending.size(), last));
                }));
    }

    /** The events still claimed by requests that send them themselves; lapsed claims are dropped. */
    private Set<String> claimed() {
        long now = System.currentTimeMillis();
        claims.values().removeIf(until -> until < now);
        return Set.copyOf(claims.keySet());
    }

    private CompletableFuture<Void> sendAll(List<Row> rows) {
        CompletableFuture<?>[] acks = rows.stream()
                .map(r -> producer.send(r.getString("topic"), null, r.getString("record_key"), r.getString("payload")))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(acks);
    }

    private void record(List<Row> rows) {
        Instant now = Instant.now();
        for (Row row : rows) {
            OffsetDateTime created = row.getOffsetDateTime("created_at");
            lag.record(Duration.between(created.toInstant(), now));
        }
        published.increment(rows.size());
    }

    private void completeWaiters(long generation, RuntimeException failure) {
        waiters.removeIf(w -> {
            if (w.generation() > generation) {
                return false;
            }
            if (failure == null) {
                w.done().complete(null);
            } else {
                w.done().completeExceptionally(failure);
            }
            return true;
        });
    }

    /**
     * Heartbeats go out only after a successful pass, so a heartbeat also means "the outbox was
     * drained a moment ago": a consumer that sees heartbeats can trust it has missed no event.
     */
    private void maybeHeartbeat() {
        List<String> topics = config.heartbeatTopics().orElse(List.of());
        Instant now = Instant.now();
        if (topics.isEmpty() || heartbeatInFlight || now.isBefore(lastHeartbeat.plus(config.heartbeatInterval()))) {
            return;
        }
        lastHeartbeat = now;
        heartbeatInFlight = true;
        try {
            // On the sending thread: a send can block while the broker is unreachable.
            sender.execute(() -> {
                try {
                    heartbeat(topics);
                } finally {
                    heartbeatInFlight = false;
                }
            });
        } catch (RejectedExecutionException e) {
            heartbeatInFlight = false;
        }
    }

    private void heartbeat(List<String> topics) {
        try {
            for (String topic : topics) {
                for (PartitionInfo partition : producer.partitionsFor(topic)) {
                    Map<String, Object> beat = new LinkedHashMap<>();
                    beat.put("id", Ids.newId(Ids.EVENT));
                    beat.put("type", HEARTBEAT);
                    beat.put("occurred_at", Instant.now().toString());
                    beat.put("version", 1);
                    producer.send(topic, partition.partition(), null, mapper.writeValueAsString(beat));
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debugf("Heartbeat not sent: %s", e.getClass().getSimpleName());
        }
    }

    /** Deletes rows published longer ago than {@code keep-published}. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> cleanUp() {
        if (!running) {
            return Uni.createFrom().voidItem();
        }
        return ScheduledPass.run(pool.preparedQuery("delete from outbox where published_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) config.keepPublished().toSeconds())), LOG, "Deleting published outbox rows");
    }

    /** For the health check: enabled, healthy, when the last pass ended, the last error. */
    public HealthCheckResponse health() {
        var response = HealthCheckResponse.named("outbox-relay").status(!config.enabled() || healthy)
                .withData("enabled", config.enabled())
                .withData("last_pass", String.valueOf(lastPass));
        if (lastError != null) {
            response.withData("error", lastError);
        }
        return response.build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        if (sender != null) {
            sender.shutdownNow();
        }
    }
}
