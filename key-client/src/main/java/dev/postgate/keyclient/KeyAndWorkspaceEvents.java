package dev.postgate.keyclient;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.kafka.EventConsumers;
import dev.postgate.common.kafka.KafkaSettings;
import dev.postgate.common.kafka.KeysTopic;
import dev.postgate.common.kafka.WorkspacesTopic;
import dev.postgate.common.kafka.PollLoop;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.time.Instants;
import dev.postgate.common.tracing.KafkaTracing;
import dev.postgate.common.wire.WireName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads every key event and every workspace event on this instance. There is no consumer group:
 * the consumer assigns itself every partition of both topics, and those an operator adds later
 * within a second or so ({@link #afterPoll}), so every instance of every service sees every event.
 * <p>
 * Where a new instance starts reading: at the offsets of {@code eventLookback} (default 60 s)
 * before the instance started. Its cache starts empty, so nothing older matters; and every
 * answer it caches comes from a verification made after it started, so any change after that
 * verification is in an event at or after the start position. It cannot miss a revocation
 * that concerns its cache. Until the first heartbeat arrives the stream counts as stale, so the
 * cache is not used before the consumer is positioned.
 * <p>
 * Freshness: the record timestamp of the last heartbeat per partition; a topic is fresh when
 * every partition is ({@link PartitionFreshness}); the cache is trusted only while, besides, a
 * heartbeat of every keys partition was read within the window by this instance's clock. Heartbeats are sent by the producing relay to
 * every partition, only after it has drained its outbox, so a fresh stream also means no older
 * event is waiting, but those a request is sending itself right after its commit (they trail by
 * 2.5 s at most; OutboxRelay), well inside the staleness window. Those events do not count
 * toward freshness: they go out while relay passes are held back, when an event only a pass
 * sends (a revocation of a leaked key) may wait in the outbox.
 */
@ApplicationScoped
public class KeyAndWorkspaceEvents implements PollLoop.Reader {
    private static final Logger LOG = Logger.getLogger(KeyAndWorkspaceEvents.class);
    private static final List<String> TOPICS = List.of(KeysTopic.NAME, WorkspacesTopic.NAME);

    public enum State implements WireName { STARTING, CONNECTING, LIVE, STALE, STOPPED }

    @Inject
    KafkaSettings kafka;

    @Inject
    KeyClientConfig config;

    /** Observed by {@link KeyVerifier} (events, not an injection: the verifier asks this consumer whether its cache may be trusted). */
    @Inject
    Event<KeyChanged> keyChanges;

    @Inject
    Event<WorkspaceChanged> workspaceChanges;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    KafkaTracing tracing;

    @Inject
    InstanceReports reports;

    private final PartitionFreshness freshness = new PartitionFreshness();
    private final PollLoop loop = new PollLoop("postgate-key-events", Duration.ofMillis(100), this);
    /** Set once the consumer has read up to the end offsets the keys topic had when it was first positioned. */
    private volatile boolean caughtUp;
    private Map<TopicPartition, Long> endAtStart;
    private Instant startedAt;
    private Timer revocationLag;

    void start(@Observes StartupEvent event) {
        startedAt = Instant.now();
        revocationLag = Timer.builder("postgate_key_revocation_lag")
                .description("From an event's occurred_at to the eviction of the key on this instance")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        registry.gauge("postgate_key_events_consumer_state", this, l -> l.state().ordinal());
        registry.gauge("postgate_key_events_last_record_age_seconds", this,
                l -> l.lastHeartbeatAge(KeysTopic.NAME).toMillis() / 1000.0);
        reports.reportTrust(this::trusted);
        loop.start(kafka);
    }

    /** True when every partition of this topic had a heartbeat stamped within the staleness window. */
    private boolean isFresh(String topic) {
        return freshness.isFresh(topic, System.currentTimeMillis(), config.stalenessWindow());
    }

    /**
     * True when the topic is fresh ({@link #isFresh(String)}) and this instance read a heartbeat of
     * every one of its partitions within {@code window}, by its own clock (a short window measured
     * against the producers' clocks would turn on their skew).
     */
    public boolean isFreshAndHeardWithin(String topic, Duration window) {
        return isFresh(topic) && freshness.heardWithin(topic, System.currentTimeMillis(), window);
    }

    /** The age (by record timestamp) of the newest heartbeat of the topic's stalest partition. */
    public Duration lastHeartbeatAge(String topic) {
        return freshness.age(topic, System.currentTimeMillis());
    }

    /**
     * Whether this instance may fill and use its cache (SPEC section 6): the broker acknowledged
     * its first {@code instance.alive}, so key-service counts it in every receipt from then on;
     * the consumer has read what the keys topic held when it started; and the stream is fresh.
     */
    public boolean trusted() {
        return trustedAnnouncement() != 0;
    }

    /** While the cache is {@link #trusted()}: the announcement its entries belong to ({@link InstanceReports#announcementNow}); else 0. */
    public long trustedAnnouncement() {
        return keysFresh() ? fillableAnnouncement() : 0;
    }

    /**
     * The keys topic is fresh by its heartbeats' stamps and this instance read one of every
     * partition within the staleness window by its own clock (SPEC section 6: "seen no record for
     * longer than the window"); by stamps alone, a key-service clock X ahead would keep a stalled
     * consumer trusted for the window + X.
     */
    private boolean keysFresh() {
        return isFreshAndHeardWithin(KeysTopic.NAME, config.stalenessWindow());
    }

    /**
     * While answers from key-service may be cached ({@link #trusted()} but for freshness): the
     * announcement they belong to; else 0.
     */
    public long fillableAnnouncement() {
        return caughtUp ? reports.announcementNow() : 0;
    }

    /** How many partitions of the topic the consumer reads (0 before it is positioned). */
    public int partitions(String topic) {
        return freshness.partitions(topic);
    }

    public State state() {
        if (!loop.running()) {
            return State.STOPPED;
        }
        if (!loop.connected()) {
            return freshness.isEmpty() ? State.STARTING : State.CONNECTING;
        }
        return keysFresh() ? State.LIVE : State.STALE;
    }

    public String lastError() {
        return loop.lastError();
    }

    @Override
    public void position(KafkaConsumer<String, String> consumer) {
        Duration timeout = kafka.requestTimeout();
        long from = startedAt.minus(config.eventLookback()).toEpochMilli();
        List<TopicPartition> partitions = EventConsumers.assignFrom(consumer, TOPICS, from, timeout);
        freshness.assign(partitions);
        if (endAtStart == null) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            consumer.endOffsets(partitions.stream().filter(tp -> tp.topic().equals(KeysTopic.NAME)).toList(), timeout)
                    .forEach(ends::put);
            endAtStart = ends;
        }
        LOG.infof("Key events consumer reads %d partitions from %s (no consumer group)", partitions.size(),
                Instant.ofEpochMilli(from));
    }

    /** In a consumer span that continues the trace the record carries. */
    @Override
    public void accept(ConsumerRecord<String, String> record) {
        Span span = tracing.receiving(record);
        try (Scope ignored = span.makeCurrent()) {
            apply(record);
        } finally {
            span.end();
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        JsonNode event;
        try {
            event = mapper.readTree(record.value());
        } catch (Exception e) {
            LOG.debugf("Ignoring a record that is not JSON on %s", record.topic());
            return;
        }
        String type = event.path("type").asText("");
        if (type.startsWith(KeysTopic.TYPE_PREFIX)) {
            String keyId = event.path("key_id").asText(null);
            if (keyId != null) {
                long seq = event.path("seq").asLong(0);
                keyChanges.fire(new KeyChanged(keyId, seq, type));
                Instant occurred = Instants.parseOrNull(event.path("occurred_at").asText(null));
                recordLag(occurred);
                reports.applied(keyId, seq, occurred);
            }
        } else if (type.startsWith(WorkspacesTopic.TYPE_PREFIX)) {
            String workspaceId = event.path("workspace_id").asText(null);
            if (workspaceId != null) {
                workspaceChanges.fire(new WorkspaceChanged(workspaceId, event.path("org_id").asText(null),
                        WorkspacesTopic.DELETED.equals(type)));
            }
        } else if (OutboxRelay.HEARTBEAT.equals(type)) {
            // The producer's stamp (the relay writes heartbeats at least once a second), not when it arrived here.
            freshness.record(record.topic(), record.partition(), EventConsumers.writtenAt(record), System.currentTimeMillis());
        }
        // unknown types: nothing.
    }

    /**
     * Reads the partitions an operator added to either topic since the consumer was positioned, from
     * their beginning; the topic counts as stale until a heartbeat of each new one is read.
     */
    @Override
    public void afterPoll(KafkaConsumer<String, String> consumer) {
        List<TopicPartition> added = EventConsumers.assignAdded(consumer, TOPICS);
        if (!added.isEmpty()) {
            freshness.assign(consumer.assignment());
            LOG.infof("Key events consumer reads partitions added since it started: %s", added);
        }
        if (!caughtUp) {
            caughtUp = endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        }
    }

    @Override
    public void failed(RuntimeException error, boolean first) {
        if (first) {
            LOG.warnf("Key events consumer cannot read (%s); the cache is not trusted until it can", error.getMessage());
        }
    }

    private void recordLag(Instant occurred) {
        if (occurred == null) {
            // occurred_at missing or malformed: no lag sample
            return;
        }
        Duration lag = Duration.between(occurred, Instant.now());
        if (!lag.isNegative()) {
            revocationLag.record(lag);
        }
    }

    @PreDestroy
    void stop() {
        loop.stop();
    }
}
