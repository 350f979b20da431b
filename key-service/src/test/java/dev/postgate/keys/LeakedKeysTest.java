package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.testing.GitHubScanningPair;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SPEC section 10: a leaked key is revoked by whoever can show it, through GitHub's signed
 * secret-scanning report or the public report, with reason {@code leaked}, an audit entry naming
 * who reported it and where it was found, and the usual event.
 */
@QuarkusTest
@WithTestResource(value = GitHubScanningKeys.class, scope = TestResourceScope.GLOBAL)
class LeakedKeysTest {
    static final String GITHUB = "/api/v1/secret-scanning/github";
    static final String REPORT = "/api/v1/keys/report-leaked";
    static final ObjectMapper JSON = new ObjectMapper();
    private final String org = KeyApi.newOrg();
    /** Each test reports from an address of its own (through the trusted local proxy), so limits do not mix. */
    /** Client addresses, one per use: limits are per address, so no test meets another's (random ones could). */
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private final String address = newAddress();

    private Response github(String body, String keyId, String signature) {
        var request = given().header("X-Forwarded-For", address).contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8));
        if (keyId != null) {
            request.header("Github-Public-Key-Identifier", keyId);
        }
        if (signature != null) {
            request.header("Github-Public-Key-Signature", signature);
        }
        return request.post(GITHUB);
    }

    private Response signed(String body) {
        return github(body, GitHubScanningPair.KEY_ID, GitHubScanningKeys.PAIR.sign(body));
    }

    /** An IPv4 address of the documentation ranges that no earlier request of this JVM came from. */
    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return (n <= 254 ? "192.0.2." : "198.51.100.") + ((n - 1) % 254 + 1);
    }

    private Response report(String body, String from) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON).body(body).post(REPORT);
    }

    private static String finding(String token, String url) {
        return "{\"token\": \"" + token + "\", \"type\": \"postgate_api_key\", \"url\": \"" + url + "\", \"source\": \"content\"}";
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> feedback(Response response) throws Exception {
        assertEquals(200, response.statusCode(), response.asString());
        return JSON.readValue(response.asString(), List.class);
    }

    @Test
    void aSignedGitHubReportRevokesTheKeyAsLeakedWithAnAuditEntryAndAnEvent() throws Exception {
        Map<String, Object> key = KeyApi.create(org);
        String url = "https://github.com/someone/app/blob/0123abc/config.yml";
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            List<Map<String, Object>> feedback = feedback(signed("[" + finding(secret(key), url) + "]"));
            assertEquals(1, feedback.size());
            assertEquals(sha256(secret(key)), feedback.get(0).get("token_hash"));
            assertEquals("postgate_api_key", feedback.get(0).get("token_type"));
            assertEquals("true_positive", feedback.get(0).get("label"));
            Received event = topic.await(r -> r.isAbout(id(key)) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(60),
                    "api_key.revoked");
            assertEquals("leaked", event.json().get("reason"));
            assertFalse(event.value().contains(secret(key)), "the event never carries the key");
        }
        Map<String, Object> revoked = KeyApi.get(org, id(key));
        assertEquals("revoked", revoked.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> leak = (Map<String, Object>) revoked.get("leak");
        assertEquals("github-secret-scanning", leak.get("reported_by"));
        assertEquals(url, leak.get("found_at"));
        assertEquals(revoked.get("revoked_at"), leak.get("revoked_at"));
        Map<String, Object> entry = KeyApi.audit(org, id(key)).get(0);
        assertEquals("revoke", entry.get("action"));
        assertEquals("github-secret-scanning", entry.get("actor"));
        assertEquals(Map.of("reason", "leaked", "found_at", url), entry.get("details"));
        assertEquals("revoked", KeyApi.verified(secret(key)).get("status"));
    }

    @Test
    void aReplayedReportChangesNothingMoreAndStillSaysTruePositive() throws Exception {
        Map<String, Object> key = KeyApi.create(org);
        String body = "[" + finding(secret(key), "https://github.com/a/b") + "]";
        assertEquals("true_positive", feedback(signed(body)).get(0).get("label"));
        int entries = KeyApi.audit(org, id(key)).size();
        assertEquals("true_positive", feedback(signed(body)).get(0).get("label"));
        assertEquals(entries, KeyApi.audit(org, id(key)).size(), "a replay writes no second revocation");
    }

    /**
     * GitHub's report is answered whole or not at all: when the database gives up on one of its keys
     * (here a deadlock, injected by a trigger on that key's row), the answer is 503 and none of its
     * keys is revoked, as the 503 says, and GitHub's retry revokes them all. Found by review: each key
     * was revoked in a transaction of its own, so the keys before the failed one stayed revoked
     * behind a 503 that said nothing had changed, and GitHub had no feedback for them.
     */
    @Test
    void aReportTheDatabaseGivesUpOnPartWayRevokesNothingAndItsRetryRevokesAll() throws Exception {
        Map<String, Object> one = KeyApi.create(org);
        Map<String, Object> other = KeyApi.create(org);
        // Named in the order of their hashes, the order they are revoked in: the database gives up on the second once the
        // first is done, whether the report is revoked key by key in its order or all at once in the hashes' order.
        boolean oneFirst = Db.hmac(secret(one)).compareTo(Db.hmac(secret(other))) < 0;
        Map<String, Object> first = oneFirst ? one : other;
        Map<String, Object> second = oneFirst ? other : one;
        String body = "[" + finding(secret(first), "https://github.com/a/b") + "," + finding(secret(second), "https://github.com/a/c") + "]";
        try (java.sql.Connection db = Db.connect(); java.sql.Statement sql = db.createStatement()) {
            sql.execute("create or replace function injected_deadlock() returns trigger language plpgsql as "
                    + "$$ begin raise exception 'injected by LeakedKeysTest' using errcode = '40P01'; end $$");
            sql.execute("create trigger injected_deadlock before update on api_keys for each row when (old.id = '" + id(second)
                    + "') execute function injected_deadlock()");
            try {
                Response givenUp = signed(body);
                assertEquals(503, givenUp.statusCode(), givenUp.asString());
                assertEquals("UNAVAILABLE", givenUp.jsonPath().getString("error.code"));
                assertEquals("active", KeyApi.get(org, id(first)).get("status"), "a key of the report the database gave up on");
                assertEquals("active", KeyApi.get(org, id(second)).get("status"));
            } finally {
                sql.execute("drop trigger injected_deadlock on api_keys");
                sql.execute("drop function injected_deadlock()");
            }
        }
        List<Map<String, Object>> feedback = feedback(signed(body));
        assertEquals(List.of("true_positive", "true_positive"), feedback.stream().map(f -> f.get("label")).toList());
        assertEquals("revoked", KeyApi.get(org, id(first)).get("status"));
        assertEquals("revoked", KeyApi.get(org, id(second)).get("status"));
        assertEquals(1, KeyApi.audit(org, id(first)).stream().filter(e -> "revoke".equals(e.get("action"))).count());
    }

    @Test
    void aMixOfRealAndMadeUpTokensGetsOneLabelEachAndOnlyActiveKeysAreRevoked() throws Exception {
        Map<String, Object> active = KeyApi.create(org);
        Map<String, Object> revokedBefore = KeyApi.create(org);
        KeyApi.revoke(org, id(revokedBefore));
        String madeUp = KeyFormat.generate("pp", KeyMode.LIVE);
        String malformed = "pp_live_sk_" + "0".repeat(38);
        String otherText = "ghp_notoursatall";
        List<String> tokens = List.of(secret(active), madeUp, secret(revokedBefore), malformed, otherText);
        StringBuilder body = new StringBuilder("[");
        for (String token : tokens) {
            body.append(body.length() > 1 ? "," : "").append(finding(token, "https://github.com/x/y"));
        }
        List<Map<String, Object>> feedback = feedback(signed(body.append("]").toString()));
        assertEquals(tokens.size(), feedback.size());
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            assertEquals(sha256(tokens.get(i)), feedback.get(i).get("token_hash"));
            labels.add((String) feedback.get(i).get("label"));
        }
        assertEquals(List.of("true_positive", "false_positive", "true_positive", "false_positive", "false_positive"), labels);
        for (String token : tokens) {
            assertFalse(feedback.toString().contains(token), "the feedback never carries a token");
        }
        assertEquals("revoked", KeyApi.get(org, id(active)).get("status"));
        assertNull(KeyApi.get(org, id(revokedBefore)).get("leak"), "a key revoked before is left as it was");
    }

    @Test
    void aWronglySignedOrUnsignedReportIs401AndRevokesNothing() {
        Map<String, Object> key = KeyApi.create(org);
        String body = "[" + finding(secret(key), "https://github.com/a/b") + "]";
        Map<String, Object> wrong = error(github(body, GitHubScanningPair.KEY_ID, GitHubScanningPair.signWithAnotherKey(body)),
                401, "UNAUTHORIZED");
        assertFalse(wrong.toString().contains(secret(key)));
        error(github(body, null, null), 401, "UNAUTHORIZED");
        error(github(body, GitHubScanningPair.KEY_ID, null), 401, "UNAUTHORIZED");
        error(github(body, "no-such-key-identifier", GitHubScanningKeys.PAIR.sign(body)), 401, "UNAUTHORIZED");
        error(github(body, GitHubScanningPair.KEY_ID, "not base64 at all!"), 401, "UNAUTHORIZED");
        // Signed, but another body: the signature covers the exact bytes.
        error(github(body.replace("a/b", "a/c"), GitHubScanningPair.KEY_ID, GitHubScanningKeys.PAIR.sign(body)), 401, "UNAUTHORIZED");
        assertEquals("active", KeyApi.get(org, id(key)).get("status"));
        assertEquals("active", KeyApi.verified(secret(key)).get("status"));
    }

    /**
     * SPEC section 4: 401 comes before validation, and a body is read only once the checks before
     * it have passed. A report's credential is its signature: a report that is not signed, or not
     * by GitHub, is 401 whatever its text holds (here a NUL, which the text rule refuses with 422).
     */
    @Test
    void aReportsSignatureIsCheckedBeforeItsText() {
        Map<String, Object> key = KeyApi.create(org);
        String body = "[" + finding(secret(key), "https://github.com/a/b\\u0000") + "]";
        error(github(body, null, null), 401, "UNAUTHORIZED");
        error(github(body, GitHubScanningPair.KEY_ID, null), 401, "UNAUTHORIZED");
        error(github(body, GitHubScanningPair.KEY_ID, GitHubScanningPair.signWithAnotherKey(body)), 401, "UNAUTHORIZED");
        // Nor does its type come first (it was 415 before 401, decided while routing).
        error(given().header("X-Forwarded-For", address).contentType(ContentType.TEXT).body(body).post(GITHUB), 401, "UNAUTHORIZED");
        // Signed, but not by GitHub: 401 too, though its type is not JSON either (the signature covers the bytes, so it is
        // checked first). Signed by GitHub and not JSON: 415.
        error(given().header("X-Forwarded-For", address).contentType(ContentType.TEXT).header("Github-Public-Key-Identifier",
                GitHubScanningPair.KEY_ID).header("Github-Public-Key-Signature", GitHubScanningPair.signWithAnotherKey(body))
                .body(body).post(GITHUB), 401, "UNAUTHORIZED");
        error(given().header("X-Forwarded-For", address).contentType(ContentType.TEXT).header("Github-Public-Key-Identifier",
                GitHubScanningPair.KEY_ID).header("Github-Public-Key-Signature", GitHubScanningKeys.PAIR.sign(body))
                .body(body).post(GITHUB), 415, "UNSUPPORTED_MEDIA_TYPE");
        // JSON is told one way, as for every body (it took any type with "json" in it here): a +json subtype is JSON, and
        // its text is checked (422); a type that only contains the word is not.
        error(given().header("X-Forwarded-For", address).contentType("application/x-jsonish").header("Github-Public-Key-Identifier",
                GitHubScanningPair.KEY_ID).header("Github-Public-Key-Signature", GitHubScanningKeys.PAIR.sign(body))
                .body(body.getBytes(StandardCharsets.UTF_8)).post(GITHUB), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(given().header("X-Forwarded-For", address).contentType("application/vnd.github+json").header("Github-Public-Key-Identifier",
                GitHubScanningPair.KEY_ID).header("Github-Public-Key-Signature", GitHubScanningKeys.PAIR.sign(body))
                .body(body.getBytes(StandardCharsets.UTF_8)).post(GITHUB), 422, "VALIDATION_FAILED");
        assertEquals("active", KeyApi.get(org, id(key)).get("status"));
        // Signed by GitHub, the text is checked as every body is: 422 naming the field, nothing revoked.
        Map<String, Object> refused = error(signed(body), 422, "VALIDATION_FAILED");
        assertTrue(refused.toString().contains("[0].url"), refused.toString());
        assertEquals("active", KeyApi.get(org, id(key)).get("status"));
    }

    /** SPEC section 4: 429 comes before validation; an address over its limit is refused before its body is read. */
    @Test
    void anAddressOverItsLimitGets429WhateverItsBodyIs() {
        String from = newAddress();
        Response refused = null;
        for (int i = 0; i < 11 && refused == null; i++) {
            Response response = report("{\"keys\": [\"pp_live_sk_nothing\"]}", from);
            refused = response.statusCode() == 202 ? null : response;
        }
        error(refused, 429, "RATE_LIMITED");
        error(report("{\"keys\": [", from), 429, "RATE_LIMITED");
        error(report("{\"keys\": [\"\\u0000\"]}", from), 429, "RATE_LIMITED");
        String githubFrom = newAddress();
        refused = null;
        for (int i = 0; i < 61 && refused == null; i++) {
            Response response = given().header("X-Forwarded-For", githubFrom).contentType(ContentType.JSON).body("[]").post(GITHUB);
            refused = response.statusCode() == 429 ? response : null;
        }
        error(refused, 429, "RATE_LIMITED");
        error(given().header("X-Forwarded-For", githubFrom).contentType(ContentType.JSON).body("[").post(GITHUB), 429, "RATE_LIMITED");
    }

    @Test
    void aSignedReportThatIsNotGitHubsArrayIs400AndOverAThousandTokensIs413() {
        error(signed("{\"token\": \"x\"}"), 400, "VALIDATION_FAILED");
        error(signed("[{\"type\": \"postgate_api_key\"}]"), 400, "VALIDATION_FAILED");
        error(signed("[1, 2]"), 400, "VALIDATION_FAILED");
        assertEquals(List.of("[0].token"), fieldsOf(error(signed("[{\"token\": 5, \"type\": \"postgate_api_key\"}]"), 400,
                "VALIDATION_FAILED")), "a token that is not a string is named");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            many.append(i > 0 ? "," : "").append(finding("t" + i, "https://github.com/a/b"));
        }
        error(signed(many.append("]").toString()), 413, "PAYLOAD_TOO_LARGE");
    }

    /**
     * SPEC section 10's 413 for over a thousand tokens comes before the text rule every body meets
     * (section 4: 413 before 422). Found by review: a report of over 10,000 items (a list longer than
     * that rule takes) or of 1,001 with a NUL in one was 422.
     */
    @Test
    void aSignedReportOverAThousandTokensIs413BeforeItsTextIsChecked() {
        StringBuilder longer = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            longer.append(i > 0 ? "," : "").append("{\"token\":\"t\"}");
        }
        error(signed(longer.append("]").toString()), 413, "PAYLOAD_TOO_LARGE");
        StringBuilder nul = new StringBuilder("[").append(finding("t", "https://github.com/a/\\u0000b"));
        for (int i = 0; i < 1000; i++) {
            nul.append(",").append(finding("t" + i, "https://github.com/a/b"));
        }
        error(signed(nul.append("]").toString()), 413, "PAYLOAD_TOO_LARGE");
        // Within the limit, the text rule still answers for it.
        error(signed("[" + finding("t", "https://github.com/a/\\u0000b") + "]"), 422, "VALIDATION_FAILED");
    }

    @Test
    void thePublicReportAnswersTheSameForARealAndAMadeUpKeyAndRevokesTheRealOne() {
        Map<String, Object> key = KeyApi.create(org);
        String madeUp = KeyFormat.generate("pp", KeyMode.LIVE);
        Response real = report("{\"keys\": [\"" + secret(key) + "\"]}", address);
        Response fake = report("{\"keys\": [\"" + madeUp + "\"]}", address);
        assertEquals(202, real.statusCode(), real.asString());
        assertEquals(202, fake.statusCode(), fake.asString());
        assertEquals(Map.of("received", 1), KeyApi.data(real));
        assertEquals(KeyApi.data(real), KeyApi.data(fake));
        assertFalse(real.asString().contains(secret(key)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "revoked".equals(KeyApi.get(org, id(key)).get("status")));
        @SuppressWarnings("unchecked")
        Map<String, Object> leak = (Map<String, Object>) KeyApi.get(org, id(key)).get("leak");
        assertEquals("public-report", leak.get("reported_by"));
        assertNull(leak.get("found_at"));
        Map<String, Object> entry = KeyApi.audit(org, id(key)).get(0);
        assertEquals("public-report", entry.get("actor"));
        assertEquals("leaked", ((Map<?, ?>) entry.get("details")).get("reason"));
    }

    @Test
    void thePublicReportTakesOneToAHundredKeysAndNothingElse() {
        StringBuilder many = new StringBuilder("{\"keys\": [");
        for (int i = 0; i <= 100; i++) {
            many.append(i > 0 ? "," : "").append("\"k").append(i).append('"');
        }
        error(report(many.append("]}").toString(), address), 422, "VALIDATION_FAILED");
        assertEquals(List.of("keys"), fieldsOf(error(report("{\"keys\": []}", address), 422, "VALIDATION_FAILED")));
        assertEquals(List.of("keys"), fieldsOf(error(report("{}", address), 422, "VALIDATION_FAILED")));
        assertEquals(List.of("keys[0]"), fieldsOf(error(report("{\"keys\": [null]}", address), 422, "VALIDATION_FAILED")));
        // Found by review: each null of a huge list was named, in an answer of megabytes, to anyone.
        String nulls = String.join(",", java.util.Collections.nCopies(200_000, "null"));
        Response huge = report("{\"keys\": [" + nulls + "]}", "203.0.113.10");
        assertEquals(List.of("keys"), fieldsOf(error(huge, 422, "VALIDATION_FAILED")));
        assertTrue(huge.asString().length() < 4_000, () -> huge.asString().length() + " characters");
        Response fiveThousand = report("{\"keys\": [" + nulls.substring(0, 5_000 * 5 - 1) + "]}", "203.0.113.11");
        assertEquals(20, fieldsOf(error(fiveThousand, 422, "VALIDATION_FAILED")).size());
        assertTrue(fiveThousand.asString().length() < 8_000, () -> fiveThousand.asString().length() + " characters");
        error(report("{\"keys\": [12]}", "203.0.113.7"), 400, "VALIDATION_FAILED");
        error(report("{\"keys\": \"pp_live_sk_x\"}", "203.0.113.8"), 400, "VALIDATION_FAILED");
        Response ok = report("{\"keys\": [\"anything at all\", \"pp_live_sk_x\"]}", "203.0.113.9");
        assertEquals(202, ok.statusCode(), ok.asString());
        assertEquals(Map.of("received", 2), KeyApi.data(ok));
    }

    @Test
    void thePublicReportIsLimitedPerClientAddress() {
        String from = newAddress();
        int accepted = 0;
        Response refused = null;
        for (int i = 0; i < 11 && refused == null; i++) {
            Response response = report("{\"keys\": [\"pp_live_sk_nothing\"]}", from);
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                refused = response;
            }
        }
        assertEquals(10, accepted);
        assertNotNull(refused);
        error(refused, 429, "RATE_LIMITED");
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
        assertEquals(202, report("{\"keys\": [\"pp_live_sk_nothing\"]}", newAddress()).statusCode(), "another address is not limited");
    }

    /**
     * Found by review: the queue of public reports was worked through 100 reports a second, one
     * key lookup each, whatever they named. Made-up keys from many addresses (cheap to send within
     * each address's limit) held a real report back by minutes, then hours. Here 12,000 well-formed
     * made-up keys from 120 addresses come first: the real one is still revoked within the usual
     * bound (the old queue took two minutes to reach it).
     */
    @Test
    void aFloodOfMadeUpKeysDoesNotHoldBackARealReport() {
        for (int report = 0; report < 120; report++) {
            List<String> madeUp = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                madeUp.add("\"" + KeyFormat.generate("pp", KeyMode.LIVE) + "\"");
            }
            Response flood = report("{\"keys\": [" + String.join(",", madeUp) + "]}", newAddress());
            assertEquals(202, flood.statusCode(), flood.asString());
        }
        Map<String, Object> key = KeyApi.create(org);
        assertEquals(202, report("{\"keys\": [\"" + secret(key) + "\"]}", address).statusCode());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "revoked".equals(KeyApi.get(org, id(key)).get("status")));
    }

    /**
     * Found by review: the queue was worked oldest first, 5,000 reports a pass, so made-up keys
     * from a few hundred addresses (each within its limit) arrived faster than they were worked,
     * and a real report waited behind the whole backlog. Here a backlog of 200,000 made-up keys,
     * forty passes of the oldest-first queue: a report of an active key is worked first.
     */
    @Test
    void aReportOfAnActiveKeyIsNotHeldBackByABacklogOfMadeUpOnes() throws Exception {
        String flood = "lr_flood_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
        try (java.sql.Connection connection = Db.connect();
                java.sql.PreparedStatement backlog = connection.prepareStatement("insert into leak_reports (id, key_hash, received_at)"
                        + " select ? || g, md5(? || g), now() - interval '1 hour' from generate_series(1, 200000) g")) {
            backlog.setString(1, flood);
            backlog.setString(2, flood);
            backlog.executeUpdate();
        }
        try {
            Map<String, Object> key = KeyApi.create(org);
            assertEquals(202, report("{\"keys\": [\"" + secret(key) + "\"]}", address).statusCode());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "revoked".equals(KeyApi.get(org, id(key)).get("status")));
        } finally {
            try (java.sql.Connection connection = Db.connect();
                    java.sql.PreparedStatement drop = connection.prepareStatement("delete from leak_reports where id like ?")) {
                drop.setString(1, flood + "%");
                drop.executeUpdate();
            }
        }
    }
}
