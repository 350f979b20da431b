package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.publish.Api.POSTS;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Ids;
import dev.postgate.common.testing.LogCapture;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.publishing.PublishFlow;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Work an instance left half-done when it died (rows as a crash leaves them, lease expired) is
 * finished by the worker, repeating only idempotent calls: nothing is charged twice, sent twice
 * or left reserved.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class RecoveryTest {

    /** A credit reservation as publish-service makes it (same key and reference), made before the "crash". */
    private static String reserve(String workspaceId, long amount, String idempotencyKey, String reference) {
        Response response = given().baseUri(WorkspaceServiceResource.url())
                .header("Authorization", "Bearer " + Tokens.service("publish-service"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace_id", workspaceId, "amount", amount, "idempotency_key", idempotencyKey, "reference", reference))
                .post("/internal/v1/credits/reservations");
        assertEquals(201, response.statusCode(), response.asString());
        return response.path("data.id");
    }

    private static void closeReservation(String reservationId, String action) {
        Response response = given().baseUri(WorkspaceServiceResource.url())
                .header("Authorization", "Bearer " + Tokens.service("publish-service"))
                .post("/internal/v1/credits/reservations/" + reservationId + "/" + action);
        assertEquals(200, response.statusCode(), response.asString());
    }

    /** Marks a draft as being published in attempt 1, as the request that crashed had done. */
    private static void publishingSince(String post, String lease) {
        assertEquals(1, Db.update("update posts set status = 'publishing', publish_attempts = 1, lease_until = " + lease
                + ", lease_token = case when " + lease + " is null then null else 'crashed' end where id = ?", post));
    }

    private static void target(String post, String account, String state, String reservationId, String error) {
        Db.update("""
                insert into post_targets (id, post_id, account_id, position, platform, account_name, state, attempt,
                                          reservation_id, error, attempted_at, lease_until, lease_token, created_at, updated_at)
                values (?, ?, ?, 0, 'x', 'survivor', ?, 1, ?, ?, now(), now() - interval '1 minute', 'crashed', now(), now())""",
                "tgt_" + Ids.ulid(), post, account, state, reservationId, error);
    }

    @Test
    void aReservationLeftByACrashedPublishRequestIsFinishedWithoutChargingTwice() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "survivor");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Crashed mid-request", account);
        reserve(tenant.workspaceId(), 1, post + ":" + account + ":1", "post " + post + " to " + account);
        // The target first: a post whose lease ran out may be claimed at once.
        target(post, account, "reserving", null, null);
        publishingSince(post, "now() - interval '1 minute'");

        tenant.awaitStatus(key, post, "published");
        assertEquals(4, tenant.balance());
        assertEquals(1, tenant.ledgerCount("reserve"), "the same idempotency key found the same reservation");
        assertEquals(1, tenant.ledgerCount("settle"));
    }

    @Test
    void aTargetLeftSendingIsResumedWithoutSendingOrChargingTwice() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "survivor");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Crashed after the platform answered", account);
        String idempotencyKey = post + ":" + account + ":1";
        String reservation = reserve(tenant.workspaceId(), 1, idempotencyKey, "post " + post + " to " + account);
        publishingSince(post, "null");
        target(post, account, "sending", reservation, null);
        // The platform had taken the post before the crash.
        Db.update("""
                insert into sandbox_deliveries (idempotency_key, post_id, workspace_id, account_id, platform, account_name, content,
                                                media_ids, published, external_id, created_at)
                values (?, ?, ?, ?, 'x', 'survivor', 'Crashed after the platform answered', '{}', true, 'sbx_sent_before_the_crash', now())""",
                idempotencyKey, post, tenant.workspaceId(), account);

        tenant.awaitStatus(key, post, "published");
        assertEquals("sbx_sent_before_the_crash", tenant.results(key, post).get(0).get("external_id"));
        assertEquals(1, Db.count("select count(*) from sandbox_deliveries where post_id = ?", post));
        assertEquals(4, tenant.balance());
        assertEquals(1, tenant.ledgerCount("settle"));
    }

    @Test
    void aTargetLeftSettlingIsSettledOnce() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "survivor");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Crashed after settling", account);
        String reservation = reserve(tenant.workspaceId(), 1, post + ":" + account + ":1", "post " + post + " to " + account);
        closeReservation(reservation, "settle");
        publishingSince(post, "null");
        target(post, account, "settling", reservation, null);

        tenant.awaitStatus(key, post, "published");
        assertEquals(4, tenant.balance());
        assertEquals(1, tenant.ledgerCount("settle"));
    }

    @Test
    void aTargetLeftRefundingIsRefundedOnceAndThePostFails() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "survivor");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Crashed while refunding", account);
        String reservation = reserve(tenant.workspaceId(), 1, post + ":" + account + ":1", "post " + post + " to " + account);
        publishingSince(post, "null");
        target(post, account, "refunding", reservation, "the platform said no");

        Map<String, Object> failed = tenant.awaitStatus(key, post, "failed");
        assertEquals("all_targets_failed", failed.get("failure_reason"));
        assertEquals("the platform said no", tenant.results(key, post).get(0).get("error"));
        assertEquals(5, tenant.balance());
        assertEquals(1, tenant.ledgerCount("refund"));
    }

    /**
     * Makes a reservation run out, as a long worker backlog or a crash does: workspace-service's
     * expiry job refunds it (issue 13's first free-publish window starts here).
     */
    private static void runOut(Api.Tenant tenant, String reservationId, long refundsBefore) {
        assertEquals(1, Db.update("update workspace_service.credit_reservations set expires_at = now() - interval '1 second'"
                + " where id = ?", reservationId));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> tenant.ledgerCount("refund") == refundsBefore + 1);
    }

    /** A target that waits to be sent (or, with {@code state} settling, was sent) on a reservation held until {@code expiresAt}. */
    private static void targetOn(String post, String account, String state, String reservationId, String expiresAt) {
        Db.update("""
                insert into post_targets (id, post_id, account_id, position, platform, account_name, state, attempt,
                                          reservation_id, reservation_expires_at, attempted_at, lease_until, lease_token,
                                          created_at, updated_at)
                values (?, ?, ?, 0, 'x', 'backlog', ?, 1, ?, """ + expiresAt + """
                , now(), now() - interval '1 minute', 'crashed', now(), now())""",
                "tgt_" + Ids.ulid(), post, account, state, reservationId);
    }

    /** The workspace's ledger kinds, oldest first. */
    private static List<Object> kinds(Api.Tenant tenant) {
        List<Object> kinds = new java.util.ArrayList<>(tenant.ledger().stream().map(e -> e.get("kind")).toList());
        java.util.Collections.reverse(kinds);
        return kinds;
    }

    /**
     * Issue 13, first free-publish window: a target waited past its reservation's end (the
     * reservation was refunded). It goes out only after its credit is reserved again, and that
     * reservation is settled: published once, charged once.
     */
    @Test
    void aTargetWhoseReservationRanOutIsReservedAgainBeforeItIsSent() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "backlog");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Waited in a backlog", account);
        String reservation = reserve(tenant.workspaceId(), 1, post + ":" + account + ":1", "post " + post + " to " + account);
        publishingSince(post, "null");
        runOut(tenant, reservation, 0);
        targetOn(post, account, "pending", reservation, "now() - interval '1 second'");

        tenant.awaitStatus(key, post, "published");
        assertEquals(4, tenant.balance(), "charged once");
        assertEquals(List.of("grant", "reserve", "refund", "reserve", "settle"), kinds(tenant));
        String renewed = (String) Db.query("select reservation_id from post_targets where post_id = ?", post).get(0).get("reservation_id");
        assertTrue(!reservation.equals(renewed), "the target went out on a new reservation");
        assertEquals("settled", Db.query("select status from workspace_service.credit_reservations where id = ?", renewed)
                .get(0).get("status"));
        assertEquals(1, Db.count("select count(*) from sandbox_deliveries where post_id = ?", post));
        assertEquals(1, Db.count("select count(*) from sandbox_deliveries d, workspace_service.credit_reservations r"
                + " where d.post_id = ? and r.id = ? and d.created_at > r.created_at", post, renewed),
                "sent after the credit was reserved again, not charged afterwards");
    }

    /** A reservation that is about to run out (within the worker's margin) is replaced and given back before the target goes out. */
    @Test
    void aReservationAboutToRunOutIsReplacedAndGivenBack() {
        HeldPost held = HeldPost.of(5);
        held.due();

        held.tenant().awaitStatus(held.key(), held.post(), "published");
        assertEquals(4, held.tenant().balance());
        held.assertGivenBack();
        assertEquals(1, held.tenant().ledgerCount("settle"));
    }

    /**
     * A draft of a tenant holding {@code credits}, with one credit reserved under its target's first
     * key ({@code reservation}); {@link #due} makes it a publishing post whose target waits to be
     * sent on that reservation, about to run out (within the worker's margin).
     */
    private record HeldPost(Api.Tenant tenant, IssuedKey key, String account, String post, String reservation) {
        static HeldPost of(long credits) {
            Api.Tenant tenant = Api.tenant(credits);
            String account = tenant.account("x", "held");
            IssuedKey key = tenant.key("posts:write", "posts:read");
            String post = tenant.draft(key, "On a hold about to run out", account);
            return new HeldPost(tenant, key, account, post, reserve(tenant.workspaceId(), 1, firstKey(post, account), reference(post, account)));
        }

        static String firstKey(String post, String account) {
            return post + ":" + account + ":1";
        }

        static String reference(String post, String account) {
            return "post " + post + " to " + account;
        }

        void due() {
            publishingSince(post, "null");
            targetOn(post, account, "pending", reservation, "now() + interval '30 seconds'");
        }

        void assertGivenBack() {
            assertEquals("refunded", Db.query("select status from workspace_service.credit_reservations where id = ?", reservation)
                    .get(0).get("status"), "the old reservation was given back");
        }
    }

    /**
     * Found by review: a renewal asked for its new credit before the old reservation gave its
     * credit back, so a workspace whose last credit that reservation held could not pay for the
     * renewal, and the target failed for want of credits it had. The old one is given back and the
     * renewal asked again: the target goes out, charged once.
     */
    @Test
    void aReservationHoldingTheLastCreditIsReplacedToo() {
        HeldPost held = HeldPost.of(1);
        assertEquals(0, held.tenant().balance());
        held.due();

        held.tenant().awaitStatus(held.key(), held.post(), "published");
        assertEquals(0, held.tenant().balance());
        held.assertGivenBack();
        assertEquals(1, held.tenant().ledgerCount("settle"));
    }

    /**
     * A renewal key that holds a reservation at another price (a renewal made before a crash, the
     * price changed since) is refused for good by workspace-service: the target fails with
     * reservation_refused and the old reservation is given back, instead of the worker asking again
     * on every pass while the post stays publishing.
     */
    @Test
    void aRenewalKeyHoldingAnotherPriceFailsTheTargetInsteadOfHoldingItForEver() {
        HeldPost held = HeldPost.of(5);
        reserve(held.tenant().workspaceId(), 2, HeldPost.firstKey(held.post(), held.account()) + ":renewal:1",
                HeldPost.reference(held.post(), held.account()));
        held.due();

        held.tenant().awaitStatus(held.key(), held.post(), "failed");
        assertEquals(PublishFlow.RESERVATION_REFUSED, held.tenant().results(held.key(), held.post()).get(0).get("error"));
        held.assertGivenBack();
        assertEquals(0, Db.count("select count(*) from sandbox_deliveries where post_id = ?", held.post()));
    }

    /**
     * Found by review: a target left sending (its platform call may have gone through) whose
     * renewal is refused fails unsent, and a retry of the post called the platform under the new
     * attempt's key, so a platform that had the first call would post it twice. The retry calls it
     * under the first attempt's key, as after calls given up unanswered (SilentPlatformTest).
     */
    @Test
    void aTargetLeftSendingThatFailsUnsentIsRetriedUnderItsFirstDeliveryKey() {
        HeldPost held = HeldPost.of(5);
        String firstKey = HeldPost.firstKey(held.post(), held.account());
        reserve(held.tenant().workspaceId(), 2, firstKey + ":renewal:1", HeldPost.reference(held.post(), held.account()));
        publishingSince(held.post(), "null");
        targetOn(held.post(), held.account(), "sending", held.reservation(), "now() + interval '30 seconds'");
        held.tenant().awaitStatus(held.key(), held.post(), "failed");
        assertEquals(PublishFlow.RESERVATION_REFUSED, held.tenant().results(held.key(), held.post()).get(0).get("error"));

        IssuedKey publisher = held.tenant().key("posts:read", "posts:publish");
        Response retried = held.tenant().as(publisher).post(POSTS + "/" + held.post() + "/retry");
        assertEquals(202, retried.statusCode(), retried.asString());
        held.tenant().awaitStatus(publisher, held.post(), "published");
        assertEquals(List.of(firstKey), Db.query("select idempotency_key from sandbox_deliveries where post_id = ?", held.post())
                .stream().map(row -> row.get("idempotency_key")).toList());
    }

    /**
     * A renewal whose reservation is over as soon as it is made (a key replayed after a crash
     * finds its reservation closed; clocks apart look the same) is followed by the next one, at
     * most {@code PublishFlow.MAX_RENEWALS} times in one delivery: then the target waits for a
     * later pass, unsent, instead of reserving in a loop.
     */
    @Test
    void aDeliveryWhoseNewReservationsAreOverAtOnceStopsRenewingAndGoesOutOnALaterPass() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "backlog");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Renewed in vain", account);
        String idempotencyKey = post + ":" + account + ":1";
        String reference = "post " + post + " to " + account;
        String reservation = reserve(tenant.workspaceId(), 1, idempotencyKey, reference);
        for (int renewal = 1; renewal <= 3; renewal++) {
            closeReservation(reserve(tenant.workspaceId(), 1, idempotencyKey + ":renewal:" + renewal, reference), "refund");
        }
        publishingSince(post, "null");
        try (LogCapture logs = LogCapture.start()) {
            targetOn(post, account, "pending", reservation, "now() + interval '30 seconds'");
            String target = (String) Db.query("select id from post_targets where post_id = ?", post).get(0).get("id");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logs.count("Target " + target, "every new reservation was over at once") == 1);
            assertEquals(3, Db.count("select reservation_renewals from post_targets where id = ?", target),
                    "three renewals in one delivery, no more");
            assertEquals(0, Db.count("select count(*) from sandbox_deliveries where post_id = ?", post), "nothing was sent unpaid");
            assertEquals(5, tenant.balance(), "nothing is held: the first reservation was given back");

            // The next pass (here: at once instead of when the lease runs out) reserves afresh and sends.
            Db.update("update post_targets set lease_until = now() - interval '1 second' where id = ?", target);
            tenant.awaitStatus(key, post, "published");
            assertEquals(4, Db.count("select reservation_renewals from post_targets where id = ?", target));
            assertEquals(4, tenant.balance(), "charged once");
            assertEquals(1, tenant.ledgerCount("settle"));
            assertEquals(1, Db.count("select count(*) from sandbox_deliveries where post_id = ?", post));
            assertEquals(1, logs.count("Target " + target, "every new reservation was over at once"));
        }
    }

    /**
     * The same window after the platform call: the target was published, but its reservation
     * ran out before the settle (a stalled worker). The work done is charged on a new reservation.
     */
    @Test
    void aPublishedTargetWhoseReservationRanOutIsChargedOnANewOne() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "backlog");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Settled too late", account);
        String reservation = reserve(tenant.workspaceId(), 1, post + ":" + account + ":1", "post " + post + " to " + account);
        publishingSince(post, "null");
        runOut(tenant, reservation, 0);
        // Sent before the reservation ran out, by an instance that knew nothing of its end.
        targetOn(post, account, "settling", reservation, "null");

        tenant.awaitStatus(key, post, "published");
        assertEquals(4, tenant.balance(), "the work done is charged");
        assertEquals(List.of("grant", "reserve", "refund", "reserve", "settle"), kinds(tenant));
    }

    /**
     * Issue 13, second free-publish window: a publish the workspace could not pay for gave its
     * credits back, and the instance died before recording it. The run that finishes the post
     * finds the reservation refunded (its replay says so), cannot reserve again, and sends
     * nothing.
     */
    @Test
    void aPublishThatDiedAfterGivingBackItsCreditsIsNotSentUnpaid() {
        Api.Tenant tenant = Api.tenant(1);
        String account = tenant.account("x", "survivor");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Given back, then crashed", account);
        String reservation = reserve(tenant.workspaceId(), 1, post + ":" + account + ":1", "post " + post + " to " + account);
        closeReservation(reservation, "refund");
        // Meanwhile the credit went to other work.
        reserve(tenant.workspaceId(), 1, "other-work-" + Ids.ulid(), "other work");
        // The target first: a post whose lease ran out may be claimed at once.
        target(post, account, "reserving", null, null);
        publishingSince(post, "now() - interval '1 minute'");

        Map<String, Object> failed = tenant.awaitStatus(key, post, "failed");
        assertEquals("insufficient_credits", failed.get("failure_reason"));
        assertEquals(0, Db.count("select count(*) from sandbox_deliveries where post_id = ?", post), "nothing was sent");
        assertEquals(0, tenant.balance());
        assertEquals(0, tenant.ledgerCount("settle"));
    }

    /**
     * Found by review: a publish request that died after its reserve, finished by the worker after
     * the price of a target had changed (a rolling deploy), met its own key holding the old amount;
     * workspace-service refused the new one (409) every time, and the post stayed publishing for
     * good, refusing every change. It fails now (its targets say why) and may be retried; the old
     * hold is refunded when it runs out.
     */
    @Test
    void aReservationKeyHoldingAnotherPriceFailsThePostInsteadOfHoldingItForEver() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "survivor");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish");
        String post = tenant.draft(key, "Reserved at yesterday's price", account);
        reserve(tenant.workspaceId(), 2, post + ":" + account + ":1", "post " + post + " to " + account);
        // The target first: a post whose lease ran out may be claimed at once.
        target(post, account, "reserving", null, null);
        publishingSince(post, "now() - interval '1 minute'");

        tenant.awaitStatus(key, post, "failed");
        assertEquals(PublishFlow.RESERVATION_REFUSED, tenant.results(key, post).get(0).get("error"));
        assertEquals(0, Db.count("select count(*) from sandbox_deliveries where post_id = ?", post), "nothing was sent");
        assertEquals(0, tenant.ledgerCount("settle"));
        Response retried = tenant.as(key).post(POSTS + "/" + post + "/retry");
        assertEquals(202, retried.statusCode(), "a new attempt, under new keys: " + retried.asString());
        tenant.awaitStatus(key, post, "published");
    }

    @Test
    void aGenerationLeftByACrashedRequestIsRefunded() {
        Api.Tenant tenant = Api.tenant(10);
        IssuedKey key = tenant.key("images:read");
        String generation = "gen_" + Ids.ulid();
        String reservation = reserve(tenant.workspaceId(), 5, generation, "generation " + generation);
        Db.update("""
                insert into generations (id, org_id, workspace_id, kind, prompt, style, width, height, state, credits, test_mode,
                                         reservation_id, lease_until, lease_token, created_by, created_at, updated_at)
                values (?, ?, ?, 'image', 'interrupted', 'light', 64, 64, 'generating', 5, false, ?,
                        now() - interval '1 minute', 'crashed', 'key:test', now(), now())""",
                generation, tenant.org(), tenant.workspaceId(), reservation);

        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(
                Db.query("select state from generations where id = ?", generation).get(0).get("state")));
        assertEquals(10, tenant.balance());
        assertEquals(1, tenant.ledgerCount("refund"));
        error(tenant.as(key).get("/api/v1/images/" + generation), 404, "NOT_FOUND");
    }

    /**
     * A caption request died after its credits were held and before it recorded anything else
     * (the reservation's id is written with the output or the failure, issue 13): the worker
     * reserves again under the generation's key, gets the same reservation back, and refunds it.
     */
    @Test
    void aGenerationThatDiedWhileItsCreditsWereHeldIsRefunded() {
        Api.Tenant tenant = Api.tenant(10);
        String generation = "gen_" + Ids.ulid();
        reserve(tenant.workspaceId(), 1, generation, "generation " + generation);
        Db.update("""
                insert into generations (id, org_id, workspace_id, kind, prompt, style, state, credits, test_mode,
                                         lease_until, lease_token, created_by, created_at, updated_at)
                values (?, ?, ?, 'caption', 'interrupted', 'friendly', 'reserving', 1, false,
                        now() - interval '1 minute', 'crashed', 'key:test', now(), now())""",
                generation, tenant.org(), tenant.workspaceId());
        assertEquals(9, tenant.balance());

        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(
                Db.query("select state from generations where id = ?", generation).get(0).get("state")));
        assertEquals(10, tenant.balance());
        assertEquals(1, tenant.ledgerCount("reserve"), "the worker's reserve returned the same reservation");
        assertEquals(1, tenant.ledgerCount("refund"));
        assertEquals(0, tenant.ledgerCount("settle"));
        assertEquals("The generation was interrupted; its credits were refunded.",
                Db.query("select error from generations where id = ?", generation).get(0).get("error"), "a failed generation says why");
    }

    /** A caption made on a reservation that then ran out and was refunded, before the caption's settle. */
    private record Made(String generation, String reservation) {
    }

    private static Made madeOnARunOutReservation(Api.Tenant tenant) {
        String generation = "gen_" + Ids.ulid();
        String reservation = reserve(tenant.workspaceId(), 1, generation, "generation " + generation);
        runOut(tenant, reservation, 0);
        return new Made(generation, reservation);
    }

    /** The caption left settling by a request that died (lease run out); the reservation it holds once the worker finished it. */
    private static String leftSettlingAndFinished(Api.Tenant tenant, Made made) {
        String generation = made.generation();
        Db.update("""
                insert into generations (id, org_id, workspace_id, kind, prompt, style, state, credits, test_mode, text,
                                         reservation_id, lease_until, lease_token, created_by, created_at, updated_at)
                values (?, ?, ?, 'caption', 'made', 'friendly', 'settling', 1, false, 'Made in time.', ?,
                        now() - interval '1 minute', 'crashed', 'key:test', now(), now())""",
                generation, tenant.org(), tenant.workspaceId(), made.reservation());
        await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(
                Db.query("select state from generations where id = ?", generation).get(0).get("state")));
        return (String) Db.query("select reservation_id from generations where id = ?", generation).get(0).get("reservation_id");
    }

    /**
     * A caption was made, but its reservation ran out (and was refunded) before the settle: the
     * worker found it settling after its request died. The output made is charged on a new
     * reservation, as a published target's is, not given away.
     */
    @Test
    void aGenerationWhoseReservationRanOutBeforeItsSettleIsChargedOnANewOne() {
        Api.Tenant tenant = Api.tenant(10);
        String renewed = leftSettlingAndFinished(tenant, madeOnARunOutReservation(tenant));
        assertEquals(9, tenant.balance(), "the output made is charged");
        assertEquals(List.of("grant", "reserve", "refund", "reserve", "settle"), kinds(tenant));
        assertEquals("settled", Db.query("select status from workspace_service.credit_reservations where id = ?", renewed)
                .get(0).get("status"));
    }

    /**
     * The same, but the workspace was deleted meanwhile: it can pay for nothing, so the generation
     * is finished unpaid instead of being retried on every pass for ever.
     */
    @Test
    void aGenerationLeftSettlingInADeletedWorkspaceIsFinishedUnpaid() {
        Api.Tenant tenant = Api.tenant(10);
        Made made = madeOnARunOutReservation(tenant);
        assertEquals(1, Db.update("update workspace_service.workspaces set deleted_at = now() where id = ?", tenant.workspaceId()));

        assertEquals(made.reservation(), leftSettlingAndFinished(tenant, made), "no new reservation was made");
    }

    @Test
    void aPostBeingPublishedRefusesEveryChange() {
        Api.Tenant tenant = Api.tenant(0);
        String account = tenant.account("x", "busy");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish");
        String post = tenant.draft(key, "Busy", account);
        publishingSince(post, "now() + interval '10 minutes'");

        List<Response> answers = List.of(
                tenant.as(key).contentType(ContentType.JSON).body(Map.of("content", "edit")).patch(POSTS + "/" + post),
                tenant.as(key).delete(POSTS + "/" + post),
                tenant.publish(key, post),
                tenant.as(key).post(POSTS + "/" + post + "/cancel"),
                tenant.as(key).post(POSTS + "/" + post + "/retry"));
        for (Response answer : answers) {
            Map<String, Object> conflict = error(answer, 409, "CONFLICT");
            assertTrue(((String) conflict.get("message")).contains("publish"), conflict::toString);
        }
        assertEquals("Busy", tenant.post(key, post).get("content"));
    }
}
