package dev.postgate.keys;

import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.testing.ServiceFoundationTest;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service's footing ({@link ServiceFoundationTest}), its outbox clean-up, and a key really
 * going through the real PostgreSQL and the real broker. The infra resource is global: every test
 * class of the module shares this one application start.
 */
@QuarkusTest
@WithTestResource(value = KeyServiceInfra.class, scope = TestResourceScope.GLOBAL)
class KeyServiceFoundationTest extends ServiceFoundationTest {

    @Inject
    OutboxRelay relay;

    /** Published outbox rows are kept for postgate.outbox.keep-published (24 h), then deleted; rows published since stay. */
    @Test
    void publishedOutboxRowsAreDeletedOnceKeptLongEnough() {
        String insert = "insert into outbox (topic, record_key, payload, published_at) values ('cleanup.test', 'k', '{}', now() - ?::interval) returning id";
        Object old = Db.one(insert, "2 days").get("id");
        Object recent = Db.one(insert, "1 hour").get("id");

        relay.cleanUp().await().atMost(Duration.ofSeconds(30));

        assertEquals(0, Db.count("select count(*) from outbox where id = ?", old), "a row published two days ago");
        assertEquals(1, Db.count("select count(*) from outbox where id = ?", recent), "a row published an hour ago");
    }

    @Override
    protected List<String> publicPaths() {
        return List.of("/api/v1/keys", "/api/v1/keys/{id}/roll");
    }

    @Override
    protected List<String> kafkaChecks() {
        return List.of("kafka", "outbox-relay");
    }

    @Override
    protected List<String> metrics() {
        return List.of("postgate_kafka_connected", "postgate_outbox_published_total", "postgate_outbox_healthy");
    }

    @Test
    void theKeyLimitIsDocumentedWhereItAnswers() {
        // SPEC section 2: the 11th create is 409 KEY_LIMIT_REACHED; a generated client reads that from the create's 409.
        io.restassured.path.json.JsonPath document = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        String create = document.getString("paths.'/api/v1/keys'.post.responses.'409'.description");
        assertTrue(create.startsWith("KEY_LIMIT_REACHED: "), create);
        // A create answers no other 409 (the document listed a CONFLICT on every write until it listed only those answered).
        assertFalse(create.contains("CONFLICT: "), "a create answers no CONFLICT: " + create);
        String roll = document.getString("paths.'/api/v1/keys/{id}/roll'.post.responses.'409'.description");
        assertFalse(roll.contains("KEY_LIMIT_REACHED"), "a roll never fails on the limit: " + roll);
        assertTrue(roll.startsWith("CONFLICT: "), "a roll of a revoked, expired or rolled key is CONFLICT: " + roll);
    }

    /** One create writes a row in PostgreSQL (read back over JDBC) and a record on the broker. */
    @Test
    void aKeyGoesThroughTheRealDatabaseAndTheRealBroker() {
        String org = KeyApi.newOrg();
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> created = KeyApi.create(org, "{\"name\": \"round trip\", \"scopes\": [\"posts:read\"]}");

            Map<String, Object> row = Db.one("select org_id, name, key_hash, scopes, status, seq from key_service.api_keys where id = ?",
                    id(created));
            assertEquals(org, row.get("org_id"));
            assertEquals("round trip", row.get("name"));
            assertEquals("posts:read", row.get("scopes"));
            assertEquals("active", row.get("status"));
            assertEquals(Db.hmac(secret(created)), row.get("key_hash"));

            Received event = topic.await(r -> r.isAbout(id(created)), Duration.ofSeconds(60), "api_key.created for " + id(created));
            assertEquals("api_key.created", event.type());
            assertEquals(id(created), event.key());
            assertEquals(org, event.json().get("org_id"));
        }
    }
}
