package dev.postgate.publish.publishing;

import java.net.ConnectException;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * A stand-in for a platform that cannot be reached: every call fails with the kind of exception
 * an HTTP client throws, whose text names the URL called, with the account's token in its query
 * ({@link #TOKEN}), as some platforms' APIs take it. Only a test profile that maps a platform to
 * it ({@code postgate.publish.connectors.platforms.<platform>=unreachable}) uses it.
 */
@ApplicationScoped
public class UnreachableConnector implements SocialConnector {
    public static final String NAME = "unreachable";
    public static final String TOKEN = "EAAGm0PX4ZCpsBAunreachable0token";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<DeliveryResult> publish(Delivery delivery) {
        return Uni.createFrom().failure(new ConnectException(
                "Connection refused: https://graph.platform.test/v19.0/me/feed?access_token=" + TOKEN));
    }

    @Override
    public Uni<TargetMetrics> metrics(PublishedTarget target) {
        return Uni.createFrom().item(TargetMetrics.none());
    }
}
