package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.publish.Api.POSTS;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static dev.postgate.common.testing.EnvelopeChecks.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.RawHttp;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Drafts: what a post may contain and target, editing, listing, deleting, scheduling and canceling. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PostLifecycleTest {
    private static Api.Tenant tenant;
    private static Api.Tenant other;
    private static IssuedKey key;
    private static IssuedKey otherKey;
    private static String x;
    private static String instagram;
    private static String otherAccount;

    @BeforeAll
    static void setUp() {
        tenant = Api.tenant(0);
        x = tenant.account("x", "brand-x");
        instagram = tenant.account("instagram", "brand-ig");
        key = tenant.key("posts:read", "posts:write", "posts:publish", "media:write");
        other = Api.tenant(0);
        otherAccount = other.account("x", "someone else");
        otherKey = other.key("posts:read", "posts:write");
    }

    private static Response create(Map<String, Object> body) {
        return tenant.as(key).contentType(ContentType.JSON).body(body).post(POSTS);
    }

    private static Map<String, Object> body(String content, List<String> accounts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", content);
        body.put("account_ids", accounts);
        return body;
    }

    /**
     * Found by review: creating or editing a post asked workspace-service about its accounts inside
     * the post's database transaction, so a slow workspace-service kept a pooled connection open
     * and idle for as long as it took (a pool's worth of such requests, and the service had no
     * connection left). No transaction is open while it is asked now.
     */
    @Test
    void noTransactionIsOpenWhileWorkspaceServiceIsAskedAboutAPostsAccounts() throws Exception {
        CompletableFuture<Response> creating;
        try (Db.Undo locked = Db.lockAccounts()) {
            creating = CompletableFuture.supplyAsync(() -> create(body("Asked first", List.of(x))));
            Db.awaitWaiting("social_accounts", "Lock");
            assertEquals(0, Db.fewestIdleInTransaction(), "sessions idle in a transaction while workspace-service is asked");
        }
        Response created = creating.get(30, TimeUnit.SECONDS);
        assertEquals(201, created.statusCode(), created.asString());

        String id = (String) data(created).get("id");
        CompletableFuture<Response> editing;
        try (Db.Undo locked = Db.lockAccounts()) {
            editing = CompletableFuture.supplyAsync(
                    () -> tenant.as(key).contentType(ContentType.JSON).body(Map.of("account_ids", List.of(instagram))).patch(POSTS + "/" + id));
            Db.awaitWaiting("social_accounts", "Lock");
            assertEquals(0, Db.fewestIdleInTransaction(), "sessions idle in a transaction while workspace-service is asked");
        }
        Response edited = editing.get(30, TimeUnit.SECONDS);
        assertEquals(200, edited.statusCode(), edited.asString());
        assertEquals(List.of(instagram), data(edited).get("account_ids"));
    }

    /**
     * Found by review: a create whose client went away while it ran (its own timeout, a closed
     * connection) was cancelled with the connection, its answer never stored: a repeat with the
     * same Idempotency-Key was 409 "still running" for two minutes, then ran again. The create runs
     * to its end: the repeat is the first answer, replayed, and there is one post.
     */
    @Test
    void aCreateWhoseClientLeftWhileItRanIsReplayedToTheRepeat() throws Exception {
        String idempotencyKey = "left-" + System.nanoTime();
        byte[] body = "{\"content\": \"Left early\", \"account_ids\": [\"%s\"]}".formatted(x).getBytes(StandardCharsets.UTF_8);
        try (Db.Undo locked = Db.lockAccounts()) {
            try (RawHttp client = RawHttp.connect("http://localhost:" + RestAssured.port, 5000)) {
                client.head("POST", POSTS, Map.of("Authorization", key.bearer(), Api.WORKSPACE_HEADER, tenant.workspaceId(),
                        "Content-Type", "application/json", "Content-Length", String.valueOf(body.length),
                        "Idempotency-Key", idempotencyKey)).write(body);
                Db.awaitWaiting("social_accounts", "Lock");
            }
            Thread.sleep(300);
        }
        Response repeat = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < end; Thread.sleep(200)) {
            repeat = tenant.as(key).header("Idempotency-Key", idempotencyKey).contentType(ContentType.JSON).body(body).post(POSTS);
            if (repeat.statusCode() != 409) {
                break;
            }
        }
        assertEquals(201, repeat.statusCode(), repeat.asString());
        assertEquals("true", repeat.header("Idempotent-Replayed"));
        assertEquals(1, Db.count("select count(*) from posts where workspace_id = ? and content = 'Left early'", tenant.workspaceId()));
    }

    /**
     * A path with a trailing slash names the same endpoint (the REST layer routes both), so a
     * repeat of a create sent once with it and once without is the same request: replayed, one
     * post. Found by review: the fingerprint held the path as sent, and the repeat was 409
     * IDEMPOTENCY_CONFLICT.
     */
    @Test
    void aRepeatThatOnlyAddsATrailingSlashIsReplayed() {
        String idempotencyKey = "slash-" + System.nanoTime();
        String body = "{\"content\": \"Slashed\", \"account_ids\": [\"%s\"]}".formatted(x);
        assertReplayed(createWith(idempotencyKey, body, POSTS), createWith(idempotencyKey, body, POSTS + "/"));
        assertEquals(1, Db.count("select count(*) from posts where workspace_id = ? and content = 'Slashed'", tenant.workspaceId()));
    }

    /**
     * SPEC section 4 answers 400/422 validation before a 409: an Idempotency-Key used again with a
     * body that is malformed, or well-formed but invalid, is answered for its body, as it would be
     * without the key (it was 409 IDEMPOTENCY_CONFLICT: the key was claimed before the body was
     * read as JSON and validated). Such answers take nothing from the key: a valid other request is still 409, and the
     * first is still replayed.
     */
    @Test
    void anIdempotencyKeyUsedAgainWithABadBodyIsAnsweredForTheBody() {
        String idempotencyKey = "order-" + System.nanoTime();
        String body = "{\"content\": \"Ordered\", \"account_ids\": [\"%s\"]}".formatted(x);
        Response first = createWith(idempotencyKey, body, POSTS);
        error(createWith(idempotencyKey, "{\"content\": ", POSTS), 400, "VALIDATION_FAILED");
        Response invalid = createWith(idempotencyKey, "{\"content\": \"\", \"account_ids\": [\"%s\"]}".formatted(x), POSTS);
        assertEquals(List.of("content"), fieldsOf(error(invalid, 422, "VALIDATION_FAILED")));
        error(createWith(idempotencyKey, "{\"content\": \"Other\", \"account_ids\": [\"%s\"]}".formatted(x), POSTS),
                409, "IDEMPOTENCY_CONFLICT");
        assertReplayed(first, createWith(idempotencyKey, body, POSTS));
        assertEquals(0, Db.count("select count(*) from posts where workspace_id = ? and content = 'Other'", tenant.workspaceId()));
    }

    /**
     * An endpoint with no body to validate (cancel) answers a used Idempotency-Key's conflict
     * before its own code runs: the post stays scheduled.
     */
    @Test
    void aCancelWithAnIdempotencyKeyUsedForAnotherRequestChangesNothing() {
        String id = tenant.draft(key, "Kept", x);
        String idempotencyKey = "cancel-" + System.nanoTime();
        Response scheduled = tenant.as(key).header("Idempotency-Key", idempotencyKey).contentType(ContentType.JSON)
                .body(Map.of("scheduled_at", Instant.now().plus(2, ChronoUnit.HOURS).toString())).post(POSTS + "/" + id + "/publish");
        assertEquals(202, scheduled.statusCode(), scheduled.asString());
        error(tenant.as(key).header("Idempotency-Key", idempotencyKey).post(POSTS + "/" + id + "/cancel"), 409, "IDEMPOTENCY_CONFLICT");
        assertEquals("scheduled", data(tenant.as(key).get(POSTS + "/" + id)).get("status"));
    }

    private static Response createWith(String idempotencyKey, String body, String path) {
        return tenant.as(key).header("Idempotency-Key", idempotencyKey).contentType(ContentType.JSON).body(body).post(path);
    }

    private static void assertReplayed(Response first, Response repeat) {
        assertEquals(201, first.statusCode(), first.asString());
        assertEquals(201, repeat.statusCode(), repeat.asString());
        assertEquals("true", repeat.header("Idempotent-Replayed"));
        assertEquals(first.jsonPath().getString("data.id"), repeat.jsonPath().getString("data.id"));
    }

    /**
     * Found by review: a cursor of one workspace's posts was taken in another workspace of the
     * organisation, answering a page of its posts after one it does not hold. A key may use both;
     * the cursor is 400.
     */
    @Test
    void aCursorIsForThePostsOfTheWorkspaceThatGaveIt() {
        Api.Tenant first = Api.tenant(0);
        Response made = Api.admin(first.org()).contentType(ContentType.JSON).body(Map.of("name", "second")).post("/api/v1/workspaces");
        Api.Tenant second = new Api.Tenant(first.org(), (String) data(made).get("id"));
        IssuedKey both = first.key("posts:read", "posts:write");
        String account = first.account("x", "first");
        first.draft(both, "one", account);
        first.draft(both, "two", account);
        second.draft(both, "elsewhere", second.account("x", "second"));
        String cursor = (String) meta(first.as(both).queryParam("limit", 1).get(POSTS)).get("next_cursor");
        assertEquals(1, list(first.as(both).queryParam("cursor", cursor).get(POSTS)).size());
        assertEquals(List.of("cursor"), fieldsOf(error(second.as(both).queryParam("cursor", cursor).get(POSTS), 400, "VALIDATION_FAILED")));
    }

    /**
     * Found by review: publishing (or scheduling) a post whose account was disconnected since it was
     * stored answered 422 naming account_ids[1], a field the publish request does not have. The
     * post's own state is in the way: 409, naming the account; nothing is charged or changed.
     */
    @Test
    void publishingAPostWhoseAccountWasDisconnectedIsAConflictNamingIt() {
        Api.Tenant own = Api.tenant(10);
        IssuedKey publisher = own.key("posts:read", "posts:write", "posts:publish");
        String staying = own.account("x", "staying");
        String leaving = own.account("threads", "leaving");
        String id = own.draft(publisher, "to both", staying, leaving);
        Response removed = Api.admin(own.org()).delete("/api/v1/workspaces/" + own.workspaceId() + "/accounts/" + leaving);
        assertEquals(200, removed.statusCode(), removed.asString());

        for (Response refused : List.of(own.publish(publisher, id), own.as(publisher).contentType(ContentType.JSON)
                .body(Map.of("scheduled_at", Instant.now().plus(Duration.ofDays(1)).toString())).post(POSTS + "/" + id + "/publish"))) {
            Map<String, Object> error = error(refused, 409, "CONFLICT");
            assertNull(error.get("fields"), error::toString);
            assertTrue(String.valueOf(error.get("message")).contains(leaving), error::toString);
        }
        assertEquals("draft", own.post(publisher, id).get("status"));
        assertEquals(10, own.balance());
    }

    @Test
    void aDraftIsCreatedForConnectedAccountsOfTheWorkspace() {
        Response response = create(body("Hello world", List.of(x, instagram)));
        assertEquals(201, response.statusCode(), response.asString());
        Map<String, Object> post = data(response);
        String id = (String) post.get("id");
        assertTrue(id.startsWith("post_"), id);
        assertEquals("/api/v1/posts/" + id, response.header("Location"));
        assertEquals(tenant.workspaceId(), post.get("workspace_id"));
        assertEquals("Hello world", post.get("content"));
        assertEquals(List.of(x, instagram), post.get("account_ids"));
        assertEquals(List.of(), post.get("media_ids"));
        assertEquals("draft", post.get("status"));
        assertEquals("live", post.get("mode"));
        for (String field : List.of("failure_reason", "scheduled_at", "published_at")) {
            assertTrue(post.containsKey(field), field);
            assertNull(post.get(field), field);
        }
        assertNotNull(post.get("created_at"));
        assertEquals(post, tenant.post(key, id));
        assertTrue(tenant.results(key, id).isEmpty(), "a draft has no results yet");
    }

    @Test
    void accountsThatAreNotConnectedAccountsOfTheWorkspaceAreNamed() {
        Map<String, Object> error = error(create(body("Nope", List.of(x, otherAccount, "acct_01J0000000000000000000000Z"))),
                422, "VALIDATION_FAILED");
        assertEquals(List.of("account_ids[1]", "account_ids[2]"), fieldsOf(error));
        assertTrue(error.toString().contains(otherAccount), error::toString);

        Api.Tenant gone = tenant;
        String disconnected = gone.account("threads", "leaving");
        Response removed = Api.admin(gone.org()).delete("/api/v1/workspaces/" + gone.workspaceId() + "/accounts/" + disconnected);
        assertEquals(200, removed.statusCode(), removed.asString());
        error = error(create(body("Nope", List.of(disconnected))), 422, "VALIDATION_FAILED");
        assertEquals(List.of("account_ids[0]"), fieldsOf(error));
    }

    @Test
    void invalidContentAndIdsAreRefusedFieldByField() {
        List<String> twentyOne = new ArrayList<>(Collections.nCopies(21, x));
        assertEquals(List.of("content", "account_ids"), fieldsOf(error(create(body("", List.of())), 422, "VALIDATION_FAILED")));
        assertEquals(List.of("content"), fieldsOf(error(create(body("x".repeat(10_001), List.of(x))), 422, "VALIDATION_FAILED")));
        assertTrue(fieldsOf(error(create(body("many", twentyOne)), 422, "VALIDATION_FAILED")).contains("account_ids"));
        assertEquals(List.of("account_ids[1]"), fieldsOf(error(create(body("twice", List.of(x, x))), 422, "VALIDATION_FAILED")));
        assertEquals(List.of("account_ids[0]"), fieldsOf(error(create(body("bad", List.of("drop table"))), 422, "VALIDATION_FAILED")));
        Map<String, Object> withMedia = body("media", List.of(x));
        withMedia.put("media_ids", List.of("med_01J0000000000000000000000Z"));
        assertEquals(List.of("media_ids[0]"), fieldsOf(error(create(withMedia), 422, "VALIDATION_FAILED")));
        error(tenant.as(key).contentType(ContentType.JSON).body("{\"content\": \"x\", \"account_ids\": \"" + x + "\"}").post(POSTS),
                400, "VALIDATION_FAILED");
        Map<String, Object> unknown = body("x", List.of(x));
        unknown.put("title", "nope");
        assertEquals(List.of("title"), fieldsOf(error(create(unknown), 422, "VALIDATION_FAILED")));
        assertEquals(10_000, ((String) data(create(body("y".repeat(10_000), List.of(x)))).get("content")).length());
    }

    @Test
    void mediaOfTheWorkspaceCanBeAttachedAndNotAnotherWorkspaces() {
        String media = uploadedMedia();
        Response created = createWithMedia("with media", media);
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals(List.of(media), data(created).get("media_ids"));

        Response foreign = other.as(otherKey).contentType(ContentType.JSON).body(Map.of("content", "steal",
                "account_ids", List.of(otherAccount), "media_ids", List.of(media))).post(POSTS);
        assertEquals(List.of("media_ids[0]"), fieldsOf(error(foreign, 422, "VALIDATION_FAILED")));
    }

    /**
     * Found by review: a post's media were checked before workspace-service was asked about its
     * accounts and not again when it was stored, and a deletion counted only the posts already
     * stored. Media deleted in between was stored on the post: published without it, still charged.
     * Here the accounts' read is held up while the media is deleted (or edited onto a post).
     */
    @Test
    void mediaDeletedWhileAPostIsCheckedIsNotStoredOnIt() throws Exception {
        String media = uploadedMedia();
        CompletableFuture<Response> creating;
        Response deleted;
        try (Db.Undo locked = Db.lockAccounts()) {
            creating = CompletableFuture.supplyAsync(() -> createWithMedia("with media deleted meanwhile", media));
            Db.awaitWaiting("social_accounts", "Lock");
            deleted = tenant.as(key).delete(Api.MEDIA + "/" + media);
        }
        assertEquals(200, deleted.statusCode(), "no post was stored with it yet: " + deleted.asString());
        Response created = creating.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("media_ids[0]"), fieldsOf(error(created, 422, "VALIDATION_FAILED")), created.asString());

        String kept = uploadedMedia();
        String id = tenant.draft(key, "edited onto", x);
        CompletableFuture<Response> editing;
        try (Db.Undo locked = Db.lockAccounts()) {
            editing = CompletableFuture.supplyAsync(() -> tenant.as(key).contentType(ContentType.JSON)
                    .body(Map.of("account_ids", List.of(instagram), "media_ids", List.of(kept))).patch(POSTS + "/" + id));
            Db.awaitWaiting("social_accounts", "Lock");
            deleted = tenant.as(key).delete(Api.MEDIA + "/" + kept);
        }
        assertEquals(200, deleted.statusCode(), deleted.asString());
        Response edited = editing.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("media_ids[0]"), fieldsOf(error(edited, 422, "VALIDATION_FAILED")), edited.asString());
        assertEquals(List.of(), tenant.post(key, id).get("media_ids"), "a refused edit changes nothing");
    }

    /** A PNG uploaded to the tenant's workspace: its media id. */
    private String uploadedMedia() {
        Response upload = tenant.as(key).multiPart("file", "p.png", MediaTest.png(4, 4), "image/png").post(Api.MEDIA);
        assertEquals(201, upload.statusCode(), upload.asString());
        return (String) data(upload).get("id");
    }

    private Response createWithMedia(String content, String media) {
        Map<String, Object> withMedia = body(content, List.of(x));
        withMedia.put("media_ids", List.of(media));
        return create(withMedia);
    }

    @Test
    void aDraftCanBeEditedFieldByField() {
        String id = tenant.draft(key, "First", x);
        Response patched = tenant.as(key).contentType(ContentType.JSON).body(Map.of("content", "Second")).patch(POSTS + "/" + id);
        assertEquals(200, patched.statusCode(), patched.asString());
        assertEquals("Second", data(patched).get("content"));
        assertEquals(List.of(x), data(patched).get("account_ids"));
        patched = tenant.as(key).contentType(ContentType.JSON).body(Map.of("account_ids", List.of(instagram, x))).patch(POSTS + "/" + id);
        assertEquals(List.of(instagram, x), data(patched).get("account_ids"));
        assertEquals("Second", data(patched).get("content"));

        error(tenant.as(key).contentType(ContentType.JSON).body("{}").patch(POSTS + "/" + id), 422, "VALIDATION_FAILED");
        Map<String, Object> bad = error(tenant.as(key).contentType(ContentType.JSON).body(Map.of("account_ids", List.of(otherAccount)))
                .patch(POSTS + "/" + id), 422, "VALIDATION_FAILED");
        assertEquals(List.of("account_ids[0]"), fieldsOf(bad));
        assertEquals(List.of(instagram, x), tenant.post(key, id).get("account_ids"), "a refused edit changes nothing");
    }

    @Test
    void aPatchTellsALeftOutFieldFromANullOne() {
        String media = uploadedMedia();
        Response created = createWithMedia("Keep me", media);
        assertEquals(201, created.statusCode(), created.asString());
        String id = (String) data(created).get("id");

        Map<String, Object> nullContent = error(tenant.as(key).contentType(ContentType.JSON)
                .body("{\"content\": null, \"account_ids\": [\"" + instagram + "\"]}").patch(POSTS + "/" + id), 422, "VALIDATION_FAILED");
        assertEquals(List.of("content"), fieldsOf(nullContent), "content cannot be removed");
        Map<String, Object> nullAccounts = error(tenant.as(key).contentType(ContentType.JSON)
                .body("{\"account_ids\": null}").patch(POSTS + "/" + id), 422, "VALIDATION_FAILED");
        assertEquals(List.of("account_ids"), fieldsOf(nullAccounts), "account_ids cannot be removed");
        Map<String, Object> unchanged = tenant.post(key, id);
        assertEquals("Keep me", unchanged.get("content"), "a refused edit changes nothing");
        assertEquals(List.of(x), unchanged.get("account_ids"));
        assertEquals(List.of(media), unchanged.get("media_ids"));

        Response cleared = tenant.as(key).contentType(ContentType.JSON).body("{\"media_ids\": null}").patch(POSTS + "/" + id);
        assertEquals(200, cleared.statusCode(), cleared.asString());
        assertEquals(List.of(), data(cleared).get("media_ids"), "null removes the media");
        assertEquals("Keep me", data(cleared).get("content"), "a field left out stays");
        assertEquals(List.of(x), data(cleared).get("account_ids"));
    }

    @Test
    void postsAreListedNewestFirstByStatusWithCursors() {
        Api.Tenant own = Api.tenant(0);
        String account = own.account("tiktok", "lister");
        IssuedKey ownKey = own.key("posts:read", "posts:write", "posts:publish");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(own.draft(ownKey, "post " + i, account));
        }
        String scheduled = ids.get(2);
        Response schedule = own.as(ownKey).contentType(ContentType.JSON)
                .body(Map.of("scheduled_at", Instant.now().plus(1, ChronoUnit.DAYS).toString())).post(POSTS + "/" + scheduled + "/publish");
        assertEquals(202, schedule.statusCode(), schedule.asString());

        Response page1 = own.as(ownKey).queryParam("limit", 3).get(POSTS);
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), list(page1).stream().map(p -> p.get("id")).toList());
        String cursor = (String) meta(page1).get("next_cursor");
        assertNotNull(cursor);
        Response page2 = own.as(ownKey).queryParam("limit", 3).queryParam("cursor", cursor).get(POSTS);
        assertEquals(List.of(ids.get(1), ids.get(0)), list(page2).stream().map(p -> p.get("id")).toList());
        assertNull(meta(page2).get("next_cursor"));

        assertEquals(List.of(scheduled), list(own.as(ownKey).queryParam("status", "scheduled").get(POSTS)).stream()
                .map(p -> p.get("id")).toList());
        assertEquals(4, list(own.as(ownKey).queryParam("status", "draft").get(POSTS)).size());
        error(own.as(ownKey).queryParam("status", "sent").get(POSTS), 400, "VALIDATION_FAILED");
        error(own.as(ownKey).queryParam("limit", 0).get(POSTS), 400, "VALIDATION_FAILED");
    }

    @Test
    void postsOfAnotherWorkspaceAreNotFound() {
        String id = tenant.draft(key, "Private", x);
        error(other.as(otherKey).get(POSTS + "/" + id), 404, "NOT_FOUND");
        error(other.as(otherKey).get(POSTS + "/" + id + "/results"), 404, "NOT_FOUND");
        error(other.as(otherKey).contentType(ContentType.JSON).body(Map.of("content", "mine")).patch(POSTS + "/" + id), 404, "NOT_FOUND");
        error(other.as(otherKey).delete(POSTS + "/" + id), 404, "NOT_FOUND");
        assertFalse(list(other.as(otherKey).get(POSTS)).stream().anyMatch(p -> id.equals(p.get("id"))));
        assertEquals("Private", tenant.post(key, id).get("content"));
        error(tenant.as(key).get(POSTS + "/post_01J0000000000000000000000Z"), 404, "NOT_FOUND");
    }

    @Test
    void deletingADraftAnswersItAndItIsGone() {
        String id = tenant.draft(key, "Short-lived", x);
        Response deleted = tenant.as(key).delete(POSTS + "/" + id);
        assertEquals(200, deleted.statusCode(), deleted.asString());
        assertEquals(id, data(deleted).get("id"));
        assertEquals("Short-lived", data(deleted).get("content"));
        error(tenant.as(key).get(POSTS + "/" + id), 404, "NOT_FOUND");
        error(tenant.as(key).delete(POSTS + "/" + id), 404, "NOT_FOUND");
        assertFalse(list(tenant.as(key).get(POSTS)).stream().anyMatch(p -> id.equals(p.get("id"))));
    }

    @Test
    void onlyAScheduledPostCanBeCanceledAndACanceledOneCanBeScheduledAgain() {
        String id = tenant.draft(key, "Later", x);
        Map<String, Object> notScheduled = error(tenant.as(key).post(POSTS + "/" + id + "/cancel"), 409, "CONFLICT");
        assertTrue(((String) notScheduled.get("message")).contains("draft"), notScheduled::toString);

        Instant at = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Response scheduled = tenant.as(key).contentType(ContentType.JSON).body(Map.of("scheduled_at", at.toString()))
                .post(POSTS + "/" + id + "/publish");
        assertEquals(202, scheduled.statusCode(), scheduled.asString());
        assertEquals("scheduled", data(scheduled).get("status"));
        assertEquals(at, Instant.parse((String) data(scheduled).get("scheduled_at")));
        assertEquals("0", scheduled.header("X-Credits-Cost"), "nothing is reserved before the post goes out");

        Response edited = tenant.as(key).contentType(ContentType.JSON).body(Map.of("content", "Later, edited")).patch(POSTS + "/" + id);
        assertEquals(200, edited.statusCode(), edited.asString());
        assertEquals("scheduled", data(edited).get("status"));

        Response canceled = tenant.as(key).post(POSTS + "/" + id + "/cancel");
        assertEquals(200, canceled.statusCode(), canceled.asString());
        assertEquals("canceled", data(canceled).get("status"));
        error(tenant.as(key).post(POSTS + "/" + id + "/cancel"), 409, "CONFLICT");
        error(tenant.as(key).post(POSTS + "/" + id + "/retry"), 409, "CONFLICT");

        Response again = tenant.as(key).contentType(ContentType.JSON)
                .body(Map.of("scheduled_at", at.plus(1, ChronoUnit.HOURS).toString())).post(POSTS + "/" + id + "/publish");
        assertEquals(202, again.statusCode(), again.asString());
        assertEquals("scheduled", data(again).get("status"));
    }

    @Test
    void scheduledAtMustBeInTheFutureAndWithinAYear() {
        String id = tenant.draft(key, "When?", x);
        Map<String, Object> past = error(tenant.as(key).contentType(ContentType.JSON)
                .body(Map.of("scheduled_at", Instant.now().minusSeconds(60).toString())).post(POSTS + "/" + id + "/publish"),
                422, "VALIDATION_FAILED");
        assertEquals(List.of("scheduled_at"), fieldsOf(past));
        assertTrue(String.valueOf(past.get("fields")).contains("must be in the future; leave it out to publish now"), past::toString);
        error(tenant.as(key).contentType(ContentType.JSON)
                .body(Map.of("scheduled_at", Instant.now().plus(400, ChronoUnit.DAYS).toString())).post(POSTS + "/" + id + "/publish"),
                422, "VALIDATION_FAILED");
        error(tenant.as(key).contentType(ContentType.JSON).body(Map.of("scheduled_at", "tomorrow")).post(POSTS + "/" + id + "/publish"),
                400, "VALIDATION_FAILED");
        assertEquals("draft", tenant.post(key, id).get("status"));
    }
}
