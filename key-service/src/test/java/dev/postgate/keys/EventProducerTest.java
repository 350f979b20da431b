package dev.postgate.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.postgate.common.kafka.EventProducer;
import dev.postgate.common.testing.PostgateInfra;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The producer says a send returns at once (so the outbox may send a request's own events from
 * its event loop, without waking the sending thread) only for a topic the broker took a record
 * of, and not once a send has failed.
 */
@QuarkusTest
class EventProducerTest {
    @Inject
    EventProducer producer;

    @Test
    void aTopicCountsAsKnownOnceTheBrokerTookARecordOfIt() throws Exception {
        String topic = "postgate.test.producer-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PostgateInfra.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                assertFalse(producer.sendsWithoutWaiting(topic), "no record sent yet");
                producer.send(topic, null, "k", "{}").get(30, TimeUnit.SECONDS);
                assertTrue(producer.sendsWithoutWaiting(topic), "the broker took a record of it");
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Found by review: once the producer chose partitions itself, a send that could not learn the
     * topic's partitions (the topic gone from the client's view) failed without the topic ceasing
     * to count, so the outbox kept sending from its event loop, each send waiting up to the
     * request timeout.
     */
    @Test
    void aTopicThatWentAwayNoLongerCountsOnceASendFails() throws Exception {
        String topic = "postgate.test.producer-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PostgateInfra.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            producer.send(topic, null, "k", "{}").get(30, TimeUnit.SECONDS);
            assertTrue(producer.sendsWithoutWaiting(topic));
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        // The client's view of the topic is refreshed every second: by then it knows no partition of it.
        Thread.sleep(3000);
        assertThrows(ExecutionException.class, () -> producer.send(topic, null, "k", "{}").get(60, TimeUnit.SECONDS));
        assertFalse(producer.sendsWithoutWaiting(topic));
    }

    @Test
    void aTopicWhoseSendFailedDoesNotCount() {
        String missing = "postgate.test.missing-" + UUID.randomUUID();
        // Topics are not created on first use: the send waits for partitions that never come, then fails.
        assertThrows(ExecutionException.class, () -> producer.send(missing, null, "k", "{}").get(60, TimeUnit.SECONDS));
        assertFalse(producer.sendsWithoutWaiting(missing));
    }
}
