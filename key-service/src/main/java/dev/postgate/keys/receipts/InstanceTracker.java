package dev.postgate.keys.receipts;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.postgate.common.kafka.EventConsumers;
import dev.postgate.common.kafka.InstancesTopic;
import dev.postgate.common.kafka.InstancesTopic.Fields;
import dev.postgate.common.kafka.KafkaSettings;
import dev.postgate.common.kafka.PollLoop;
import dev.postgate.common.time.Instants;
import io.quarkus.runtime.StartupEvent;

/**
 * Follows topic {@value InstancesTopic#NAME} (SPEC section 6, "Revocation receipts"): which consuming
 * instances are live, and which key events each has applied. Every partition is read, from
 * {@link #LOOKBACK} before this replica started (the longest staleness window and then some), with no consumer group, so every replica of key-service
 * knows every instance. At most {@value #MAX_INSTANCES} instances are tracked (while one turned
 * away may be live, no receipt is confirmed); an id whose prefix is not its {@code service} is ignored.
 * <p>
 * The consumer reads on its own thread ({@link PollLoop}); after each poll it runs the
 * {@link #onEachPoll} checks of the receipts being waited for.
 */
@ApplicationScoped
public class InstanceTracker implements PollLoop.Reader {
    private static final Logger LOG = Logger.getLogger(InstanceTracker.class);
    static final int MAX_INSTANCES = 256;
    /** The longest staleness window honoured ({@link InstancesTopic#MAX_STALENESS_WINDOW}: longer ones refuse to start). */
    static final long MAX_STALENESS_MS = InstancesTopic.MAX_STALENESS_WINDOW.toMillis();
    /** So that a new replica knows every instance live when it starts: the longest window + 1 s, and 4 s of room for clocks. */
    private static final Duration LOOKBACK = Duration.ofMillis(MAX_STALENESS_MS + 5_000);

    /** What the last {@code instance.alive} of an instance said, by its record timestamp. */
    public record Instance(String id, String service, long firstSeenMillis, long lastAliveMillis, long stalenessMs,
            boolean cacheTrusted) {

        /** Live until its last alive's record timestamp + its staleness window + 1 s. */
        public boolean liveAt(long millis) {
            return millis < lastAliveMillis + stalenessMs + InstancesTopic.LIVENESS_GRACE.toMillis();
        }

        /** The opaque name shown in answers: the service and the random part of the id (never host or port). */
        public String label() {
            return InstancesTopic.label(id, service);
        }
    }

    /** An instance applied a key's event {@code seq} (its eviction done) at {@code appliedAt}. */
    public record Ack(String instance, String service, String keyId, long seq, Instant appliedAt, Long lagMs) {
    }

    @Inject
    KafkaSettings kafka;

    @Inject
    ObjectMapper mapper;

    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    /** Until when an instance turned away for the cap may be live (0: none was). */
    private volatile long untrackedLiveUntilMillis;
    /** Per key, per instance: the newest acknowledgement read (kept for receipts made after it arrived). */
    private final Cache<String, Map<String, Ack>> acks = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final List<Consumer<Ack>> ackListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> pollChecks = new CopyOnWriteArrayList<>();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    /** Partitions added to the topic since the consumer was assigned its own: it reads them from their beginning. */
    private final Set<TopicPartition> added = ConcurrentHashMap.newKeySet();
    private final PollLoop loop = new PollLoop("postgate-instances", Duration.ofMillis(50), this);
    private Admin admin;
    private Instant startedAt;

    void start(@Observes StartupEvent event) {
        startedAt = Instant.now();
        loop.start(kafka);
    }

    /** Called on the consumer thread for every acknowledgement read. */
    void onAck(Consumer<Ack> listener) {
        ackListeners.add(listener);
    }

    /** Run on the consumer thread after every poll (and every 50 ms without records). */
    void onEachPoll(Runnable check) {
        pollChecks.add(check);
    }

    void removeOnEachPoll(Runnable check) {
        pollChecks.remove(check);
    }

    /**
     * False while an instance turned away for the cap ({@value #MAX_INSTANCES}) may have been live
     * at or after {@code millis} (until its alive's stamp + its window + 1 s): a receipt of a change
     * committed then cannot know every instance, so it is not confirmed.
     */
    public boolean tracksEveryInstanceLiveSince(long millis) {
        return untrackedLiveUntilMillis <= millis;
    }

    /** The instances live at {@code millis}. */
    public List<Instance> liveAt(long millis) {
        return instances.values().stream().filter(i -> i.liveAt(millis)).toList();
    }

    public Instance instance(String id) {
        return instances.get(id);
    }

    /** The newest acknowledgement of the key by the instance, or null. */
    public Ack ack(String keyId, String instance) {
        Map<String, Ack> byInstance = acks.getIfPresent(keyId);
        return byInstance == null ? null : byInstance.get(instance);
    }

    /**
     * The end offsets of every partition of the topic now (for "read up to end offsets taken after
     * the change"), partitions added since this replica started included: the topic is described
     * while the ends of the partitions read are asked for, and a partition it did not know is read
     * from then on ({@link #afterPoll}), so that an instance writing there is not left out.
     */
    CompletableFuture<Map<TopicPartition, Long>> endOffsets() {
        Map<TopicPartition, Long> known = positions;
        if (known.isEmpty() || admin == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not reading " + InstancesTopic.NAME + " yet"));
        }
        return ends(known.keySet()).thenCombine(partitions(known.keySet()), (ends, all) -> {
            Set<TopicPartition> unread = new HashSet<>(all);
            unread.removeAll(ends.keySet());
            if (unread.isEmpty()) {
                return CompletableFuture.completedFuture(ends);
            }
            if (added.addAll(unread)) {
                LOG.infof("%s has partitions this replica did not read (%s): reading them from now on", InstancesTopic.NAME, unread);
            }
            return ends(unread).thenApply(more -> {
                Map<TopicPartition, Long> every = new HashMap<>(ends);
                every.putAll(more);
                return every;
            });
        }).thenCompose(ends -> ends);
    }

    /** The description of the topic being asked for, shared by the receipts that start meanwhile (a leak drain starts thousands). */
    private final AtomicReference<CompletableFuture<Set<TopicPartition>>> describing = new AtomicReference<>();

    /** The topic's partitions as the broker describes them now ({@code read} if it cannot). */
    private CompletableFuture<Set<TopicPartition>> partitions(Set<TopicPartition> read) {
        CompletableFuture<Set<TopicPartition>> mine = new CompletableFuture<>();
        CompletableFuture<Set<TopicPartition>> current = describing.get();
        if (current != null && !current.isDone()) {
            return current;
        }
        if (!describing.compareAndSet(current, mine)) {
            // Another receipt started a description meanwhile (the reference is never cleared).
            return describing.get();
        }
        try {
            admin.describeTopics(List.of(InstancesTopic.NAME)).allTopicNames().whenComplete((topics, error) -> {
                if (error != null) {
                    describedAsRead(mine, read, error);
                } else {
                    Set<TopicPartition> all = new HashSet<>();
                    topics.get(InstancesTopic.NAME).partitions()
                            .forEach(p -> all.add(new TopicPartition(InstancesTopic.NAME, p.partition())));
                    mine.complete(all);
                }
            });
        } catch (RuntimeException e) {
            describedAsRead(mine, read, e);
        }
        return mine;
    }

    /** The partitions read are still the topic's; only one added meanwhile would be missed. */
    private static void describedAsRead(CompletableFuture<Set<TopicPartition>> description, Set<TopicPartition> read, Throwable error) {
        LOG.debugf("Cannot describe %s: %s", InstancesTopic.NAME, error.getMessage());
        description.complete(read);
    }

    private CompletableFuture<Map<TopicPartition, Long>> ends(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        CompletableFuture<Map<TopicPartition, Long>> ends = new CompletableFuture<>();
        admin.listOffsets(latest).all().whenComplete((result, error) -> {
            if (error != null) {
                ends.completeExceptionally(error);
            } else {
                Map<TopicPartition, Long> offsets = new HashMap<>();
                result.forEach((tp, info) -> offsets.put(tp, info.offset()));
                ends.complete(offsets);
            }
        });
        return ends;
    }


    /** Whether this replica has read every partition up to {@code ends}. */
    boolean readUpTo(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> now = positions;
        return ends.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    @Override
    public void afterPoll(KafkaConsumer<String, String> consumer) {
        if (!added.isEmpty()) {
            Set<TopicPartition> fresh = new HashSet<>(added);
            fresh.removeAll(consumer.assignment());
            // The new ones hold nothing older than their creation.
            EventConsumers.assignFromBeginning(consumer, fresh);
        }
        Map<TopicPartition, Long> read = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            read.put(tp, consumer.position(tp));
        }
        positions = read;
        pollChecks.forEach(Runnable::run);
    }

    @Override
    public void failed(RuntimeException error, boolean first) {
        if (first) {
            LOG.warnf("Cannot read %s (%s); revocation receipts stay partial until it can", InstancesTopic.NAME, error.getMessage());
        }
    }

    @Override
    public void position(KafkaConsumer<String, String> consumer) {
        EventConsumers.assignFrom(consumer, List.of(InstancesTopic.NAME), startedAt.minus(LOOKBACK).toEpochMilli(), kafka.requestTimeout());
        if (admin == null) {
            admin = Admin.create(kafka.adminProperties());
        }
    }

    @Override
    public void accept(ConsumerRecord<String, String> record) {
        JsonNode event;
        try {
            event = mapper.readTree(record.value());
        } catch (Exception e) {
            return;
        }
        String id = event.path(Fields.INSTANCE).asText("");
        String service = event.path(Fields.SERVICE).asText("");
        if (!InstancesTopic.SERVICES.contains(service) || !InstancesTopic.isInstanceOf(id, service) || !id.equals(record.key())) {
            return;
        }
        long stamp = EventConsumers.writtenAt(record);
        switch (event.path(Fields.TYPE).asText("")) {
            case InstancesTopic.ALIVE -> alive(id, service, stamp, event);
            case InstancesTopic.APPLIED -> applied(id, service, event);
            default -> {
                // types this replica does not know
            }
        }
    }

    private void alive(String id, String service, long stamp, JsonNode event) {
        // An alive that does not say its window is taken at the longest: counted live longer, never shorter.
        long staleness = Math.max(0, Math.min(event.path(Fields.STALENESS_MS).asLong(MAX_STALENESS_MS), MAX_STALENESS_MS));
        boolean trusted = event.path(Fields.CACHE_TRUSTED).asBoolean(false);
        Instance known = instances.get(id);
        if (known == null && instances.size() >= MAX_INSTANCES) {
            long now = System.currentTimeMillis();
            instances.values().removeIf(i -> !i.liveAt(now));
            if (instances.size() >= MAX_INSTANCES) {
                // Only this thread writes it.
                untrackedLiveUntilMillis = Math.max(untrackedLiveUntilMillis, stamp + staleness + InstancesTopic.LIVENESS_GRACE.toMillis());
                return;
            }
        }
        long first = known == null ? stamp : Math.min(known.firstSeenMillis(), stamp);
        long last = known == null ? stamp : Math.max(known.lastAliveMillis(), stamp);
        boolean newestTrust = known == null || stamp >= known.lastAliveMillis() ? trusted : known.cacheTrusted();
        instances.put(id, new Instance(id, service, first, last, staleness, newestTrust));
    }

    private void applied(String id, String service, JsonNode event) {
        String keyId = event.path(Fields.KEY_ID).asText(null);
        long seq = event.path(Fields.SEQ).asLong(-1);
        if (keyId == null || seq < 0 || instances.get(id) == null && instances.size() >= MAX_INSTANCES) {
            return;
        }
        Instant appliedAt = Instants.parseOrNull(event.path(Fields.APPLIED_AT).asText(null));
        Instant occurredAt = Instants.parseOrNull(event.path(Fields.EVENT_OCCURRED_AT).asText(null));
        if (appliedAt == null) {
            return;
        }
        Long lag = occurredAt == null ? null : Math.max(0, Duration.between(occurredAt, appliedAt).toMillis());
        Ack ack = new Ack(id, service, keyId, seq, appliedAt, lag);
        Map<String, Ack> byInstance = acks.get(keyId, k -> new ConcurrentHashMap<>());
        Ack before = byInstance.get(id);
        if (before != null && before.seq() >= seq) {
            return;
        }
        byInstance.put(id, ack);
        for (Consumer<Ack> listener : ackListeners) {
            try {
                listener.accept(ack);
            } catch (RuntimeException e) {
                LOG.debugf("Receipt update failed: %s", e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        loop.stop();
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
