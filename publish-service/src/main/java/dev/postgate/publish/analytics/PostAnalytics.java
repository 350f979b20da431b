package dev.postgate.publish.analytics;

import java.time.Instant;
import java.util.List;

/** What the platforms report about a post: per target, and summed. Zero until a target is published. */
public record PostAnalytics(String postId, String status, Instant publishedAt, Metrics totals, List<TargetAnalytics> targets) {

    public record Metrics(long impressions, long likes, long comments, long shares, long clicks) {
        public static final Metrics ZERO = new Metrics(0, 0, 0, 0, 0);

        public Metrics plus(Metrics other) {
            return new Metrics(impressions + other.impressions, likes + other.likes, comments + other.comments,
                    shares + other.shares, clicks + other.clicks);
        }
    }

    /** {@code source} names who reported the numbers ({@code sandbox} for the built-in connector); null when none did. */
    public record TargetAnalytics(String accountId, String platform, String status, String externalId, String source,
            Metrics metrics) {
    }
}
