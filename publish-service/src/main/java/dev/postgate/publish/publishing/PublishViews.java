package dev.postgate.publish.publishing;

import java.time.Instant;

import jakarta.validation.constraints.Future;

/** Request and response bodies of publishing (JSON, snake_case). */
public final class PublishViews {
    private PublishViews() {
    }

    /** Without {@code scheduled_at}: publish now; with it: publish then (at most a year ahead, which the service checks). */
    public record PublishRequest(@Future(message = "must be in the future; leave it out to publish now") Instant scheduledAt) {
    }

    /** The result of a post on one social account. */
    public record ResultView(String accountId, String platform, String status, String externalId, String error,
            Instant attemptedAt) {

        public static ResultView of(PostTarget target) {
            return new ResultView(target.accountId, target.platform, target.targetState().visible(), target.externalId,
                    target.error, target.attemptedAt);
        }
    }
}
