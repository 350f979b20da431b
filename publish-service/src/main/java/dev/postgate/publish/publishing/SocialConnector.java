package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.List;

import dev.postgate.publish.media.MediaFile;
import io.smallrye.mutiny.Uni;

/**
 * Publishing to one social network. Postgate calls {@link #publish} once per target account,
 * and again with the same {@link Delivery#idempotencyKey()} if it cannot know whether an earlier
 * call went through (a crash, a timeout, and a retry of the post after such calls were given up,
 * which a client may ask for days later): a connector must then not post twice, for as long as a
 * post may be retried (keeping what it posted under each key, or looking the post up, where a
 * platform's own idempotency window is shorter), and should answer
 * as it did the first time (most platforms take a client-side idempotency key or let a connector
 * look the post up; the sandbox records every call by its key).
 * <p>
 * A connector answers {@link DeliveryResult#failed} for a definitive refusal (the credit is
 * refunded) and fails the {@link Uni} for a transient problem (the call is repeated later, until
 * {@code postgate.publish.worker.give-up-after}). A refusal's text is shown to the workspace's
 * clients as the target's {@code error}, so it must hold no credential; a failure's text goes to
 * the service log only (the target says the platform could not be reached, in Postgate's words),
 * so it should hold none either. Connectors are CDI beans, chosen by
 * {@link #name()} through {@code postgate.publish.connectors.*}.
 */
public interface SocialConnector {

    String name();

    Uni<DeliveryResult> publish(Delivery delivery);

    /**
     * What the platform reports about a published target (deterministic numbers in the sandbox).
     * Called side by side for a post's targets when its analytics are read, each within
     * {@code postgate.publish.connectors.metrics-time-limit}.
     */
    Uni<TargetMetrics> metrics(PublishedTarget target);

    record Account(String id, String platform, String name) {
    }

    /** One post on one account; media bytes come from {@link dev.postgate.publish.media.MediaStorage}. */
    record Delivery(String idempotencyKey, String postId, String workspaceId, Account account, String content,
            List<MediaFile> media) {
    }

    record DeliveryResult(boolean published, String externalId, String error) {
        public static DeliveryResult published(String externalId) {
            return new DeliveryResult(true, externalId, null);
        }

        public static DeliveryResult failed(String error) {
            return new DeliveryResult(false, null, error);
        }
    }

    record PublishedTarget(String postId, Account account, String externalId, Instant publishedAt) {
    }

    record TargetMetrics(String source, long impressions, long likes, long comments, long shares, long clicks) {
        public static TargetMetrics none() {
            return new TargetMetrics(null, 0, 0, 0, 0, 0);
        }
    }
}
