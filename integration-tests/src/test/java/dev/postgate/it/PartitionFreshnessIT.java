package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;

/**
 * Issue 14, finding 8, and SPEC section 6 ("Revocation receipts": freshness is judged per partition
 * by the record timestamp of the newest heartbeat read), on a real consumer and broker. No key-service
 * runs here: this test writes the heartbeats itself, so it can starve one partition of the key
 * topic, or write records stamped a minute ago, and watch the consumer stop trusting its cache.
 */
class PartitionFreshnessIT {
    static ServiceProcess consumer;
    static KafkaProducer<String, String> producer;
    static List<PartitionInfo> partitions;
    static ScheduledExecutorService heartbeats;
    /** The partition that gets no heartbeats, or -1. */
    static volatile int starved = -1;
    /** How far in the past the heartbeats are stamped. */
    static volatile Duration stampedAgo = Duration.ZERO;
    /** Whether key events (renames) are written in the heartbeats' place. */
    static volatile boolean eventsOnly;
    /** Whether nothing at all is written. */
    static volatile boolean silent;

    @BeforeAll
    static void start() {
        // The broker and its topics, before this test writes to them (the consumer's start would see to it only later).
        PostgateInfra.ensure();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PostgateInfra.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(props);
        partitions = producer.partitionsFor(KeyEventsTopic.TOPIC);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(PartitionFreshnessIT::beat, 0, 250, TimeUnit.MILLISECONDS);
        // Verification is not used here: nothing but the consumer's freshness is under test.
        consumer = ServiceProcess.of("publish-service").name("freshness-consumer").keyService("http://127.0.0.1:9").start();
    }

    @AfterAll
    static void stop() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (consumer != null) {
            consumer.stop();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private static void beat() {
        if (silent) {
            return;
        }
        Instant stamp = Instant.now().minus(stampedAgo);
        for (PartitionInfo partition : partitions) {
            String keyId = "key_freshness" + partition.partition();
            String value = eventsOnly
                    ? "{\"type\":\"api_key.updated\",\"key_id\":\"" + keyId + "\",\"seq\":" + stamp.toEpochMilli()
                            + ",\"occurred_at\":\"" + stamp + "\",\"version\":1}"
                    : "{\"type\":\"heartbeat\",\"occurred_at\":\"" + stamp + "\",\"version\":1}";
            if (partition.partition() != starved) {
                producer.send(new ProducerRecord<>(KeyEventsTopic.TOPIC, partition.partition(), stamp.toEpochMilli(),
                        eventsOnly ? keyId : null, value));
            }
        }
    }

    private static String consumerState() {
        JsonPath health = given().baseUri(consumer.baseUrl()).get("/q/health/group/kafka").jsonPath();
        return health.getString("checks.find { it.name == 'key-and-workspace-events-consumer' }.data.state");
    }

    private static void awaitState(String state) {
        awaitState(state, Duration.ofSeconds(60));
    }

    private static void awaitState(String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> state.equals(consumerState()));
    }

    @Test
    void oneStarvedPartitionMakesTheConsumerStaleWhateverTheOthersReceive() {
        starved = -1;
        stampedAgo = Duration.ZERO;
        awaitState("live");
        starved = partitions.get(partitions.size() - 1).partition();
        try {
            awaitState("stale");
        } finally {
            starved = -1;
        }
        awaitState("live");
    }

    @Test
    void recordsStampedLongAgoDoNotKeepTheConsumerFresh() {
        starved = -1;
        stampedAgo = Duration.ZERO;
        awaitState("live");
        // A consumer reading a backlog a minute behind is stale, however fast the records arrive.
        stampedAgo = Duration.ofMinutes(1);
        try {
            awaitState("stale");
        } finally {
            stampedAgo = Duration.ZERO;
        }
        awaitState("live");
    }

    /**
     * Found by review: every record counted toward freshness, key events too. Events a request
     * sends itself keep flowing while the relay's passes are held back, and with them an event
     * only a pass sends (a leaked key's revocation) waits in the outbox: the consumer must go stale
     * then. Here every partition gets a rename every 250 ms and no heartbeat.
     */
    @Test
    void keyEventsWithoutHeartbeatsDoNotKeepTheConsumerFresh() {
        starved = -1;
        stampedAgo = Duration.ZERO;
        eventsOnly = false;
        awaitState("live");
        eventsOnly = true;
        try {
            awaitState("stale");
        } finally {
            eventsOnly = false;
        }
        awaitState("live");
    }

    /**
     * Found by review (left at stop 61): freshness was judged by the heartbeats' record timestamps
     * alone, so with the producer's clock ahead of this instance's by X, a consumer that stopped
     * reading kept trusting its cache for the staleness window + X. SPEC section 6: an instance that
     * has seen no record for longer than the window stops trusting its cache. Here the heartbeats
     * are stamped 40 s ahead, then stop: the consumer must go stale within its 5 s window (the
     * bound leaves a busy machine room), not after 45 s.
     */
    @Test
    void heartbeatsStampedByAClockAheadDoNotKeepAConsumerThatHearsNothingFresh() throws Exception {
        starved = -1;
        eventsOnly = false;
        stampedAgo = Duration.ZERO;
        awaitState("live");
        Duration ahead = Duration.ofSeconds(40);
        stampedAgo = ahead.negated();
        Thread.sleep(1000);
        Instant lastStamp;
        try {
            silent = true;
            lastStamp = Instant.now().plus(ahead);
            // The 5 s window and 10 s of room: the old rule stays live for 45 s.
            awaitState("stale", Duration.ofSeconds(15));
        } finally {
            silent = false;
            stampedAgo = Duration.ZERO;
        }
        awaitState("live");
        // Let the stamps written ahead fall behind this clock, for the tests that judge by stamps.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastStamp).toMillis()));
    }
}
