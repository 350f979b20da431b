package dev.postgate.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.postgate.common.outbox.Outbox;
import dev.postgate.common.outbox.OutboxConfig;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.testing.PostgateInfra;
import io.smallrye.common.vertx.VertxContext;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A relay pass works the whole outbox before it says it has (its flush completes, its heartbeats
 * go out: "every event committed before it is on the broker, or being sent by the request that
 * made it"). Found by review: a pass read the outbox a batch at a time and went on only while a
 * batch sent as many rows as it read, so a row a request was sending itself (claimed, so left
 * alone) ended the pass early, and the rows after that batch waited for a later one.
 */
@QuarkusTest
@WithTestResource(value = KeyServiceInfra.class, scope = TestResourceScope.GLOBAL)
class RelayPagingTest {
    private static final String TOPIC = "postgate.test.relay-paging";

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxConfig config;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    void aPassGoesOnPastARowARequestIsSendingItself() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PostgateInfra.kafkaPort()))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        String run = UUID.randomUUID().toString();
        // Five batches in one commit, every hundredth row claimed, so that a pass that stops at a claimed row stops
        // in every batch (a pass the relay's polling started meanwhile takes one batch more at the most).
        int rows = 5 * config.batchSize();
        String[] payloads = new String[rows];
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String id = (i % 100 == 0 ? "evt_paging_claimed_" : "evt_paging_") + run + "_" + i;
            if (i % 100 == 0) {
                claimed.add(id);
            }
            payloads[i] = "{\"id\": \"" + id + "\"}";
        }
        // Claimed as a request that sends its own events claims them, on its context.
        CompletableFuture<Void> claims = new CompletableFuture<>();
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> {
            Outbox.sendOwnEvents();
            claimed.forEach(outbox::claim);
            claims.complete(null);
        });
        claims.get(30, TimeUnit.SECONDS);
        pool.preparedQuery("insert into outbox (topic, record_key, payload, created_at)"
                + " select $1, 'paging', p, now() from unnest($2::text[]) with ordinality as t(p, n) order by n")
                .execute(Tuple.of(TOPIC, payloads)).await().atMost(Duration.ofSeconds(30));

        relay.flush().get(60, TimeUnit.SECONDS);

        long left = pool.preparedQuery("select count(*) as n from outbox where topic = $1 and payload like $2 and published_at is null")
                .execute(Tuple.of(TOPIC, "%\"evt_paging_" + run + "_%")).await().atMost(Duration.ofSeconds(30))
                .iterator().next().getLong("n");
        assertEquals(0, left, "rows committed before the flush and not claimed, still in the outbox when it completed");
    }
}
