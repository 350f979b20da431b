package dev.postgate.publish.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.auth.Caller;
import dev.postgate.publish.analytics.PostAnalytics.Metrics;
import dev.postgate.publish.analytics.PostAnalytics.TargetAnalytics;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostService;
import dev.postgate.publish.publishing.PublishService;
import dev.postgate.publish.publishing.PostTarget;
import dev.postgate.publish.publishing.TargetState;
import dev.postgate.publish.publishing.Connectors;
import dev.postgate.publish.publishing.ConnectorsConfig;
import dev.postgate.publish.publishing.SocialConnector;
import dev.postgate.publish.publishing.SocialConnector.TargetMetrics;
import io.smallrye.mutiny.Uni;

/** Post analytics: each published target's numbers as its connector reports them. */
@ApplicationScoped
public class AnalyticsService {
    private static final Logger LOG = Logger.getLogger(AnalyticsService.class);

    @Inject
    PostService posts;

    @Inject
    PublishService publishing;

    @Inject
    Connectors connectors;

    @Inject
    ConnectorsConfig config;

    public Uni<PostAnalytics> forPost(Caller caller, String postId) {
        return posts.get(caller, postId).chain(post -> publishing.results(caller, postId).chain(targets -> collect(post, targets)));
    }

    /** Every target's numbers, asked of their platforms side by side, each within the time limit. */
    private Uni<PostAnalytics> collect(Post post, List<PostTarget> targets) {
        List<Uni<TargetAnalytics>> rows = new ArrayList<>();
        for (PostTarget target : targets) {
            rows.add(metrics(post, target).map(m -> new TargetAnalytics(target.accountId, target.platform,
                    target.targetState().visible(), target.externalId, m.source(),
                    new Metrics(m.impressions(), m.likes(), m.comments(), m.shares(), m.clicks()))));
        }
        Uni<List<TargetAnalytics>> all = rows.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(rows).andFailFast();
        return all.map(list -> {
            Metrics totals = list.stream().map(TargetAnalytics::metrics).reduce(Metrics.ZERO, Metrics::plus);
            return new PostAnalytics(post.id, post.status, post.publishedAt, totals, list);
        });
    }

    private Uni<TargetMetrics> metrics(Post post, PostTarget target) {
        if (target.targetState() != TargetState.PUBLISHED || target.externalId == null || target.connector == null) {
            return Uni.createFrom().item(TargetMetrics.none());
        }
        SocialConnector connector;
        try {
            connector = connectors.named(target.connector);
        } catch (IllegalStateException e) {
            return Uni.createFrom().item(TargetMetrics.none());
        }
        Duration limit = config.metricsTimeLimit();
        // Deferred: a connector that throws instead of failing its Uni reports no numbers like one that fails.
        return Uni.createFrom().deferred(() -> connector.metrics(new SocialConnector.PublishedTarget(post.id,
                new SocialConnector.Account(target.accountId, target.platform, target.accountName), target.externalId,
                target.attemptedAt)))
                .ifNoItem().after(limit).failWith(() -> new TimeoutException("no answer within " + limit.toMillis() + " ms"))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Connector %s reported no metrics for %s: %s", target.connector, target.externalId, e.toString());
                    return TargetMetrics.none();
                });
    }
}
