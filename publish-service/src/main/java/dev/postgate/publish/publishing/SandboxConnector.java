package dev.postgate.publish.publishing;

import java.nio.ByteBuffer;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.hash.Sha256;
import dev.postgate.common.time.TimeSource;
import dev.postgate.publish.media.MediaFile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The built-in connector: publishes nowhere, records what would have been sent
 * ({@code sandbox_deliveries}) and answers like a platform. The external id derives from the
 * idempotency key, and the first answer per key is the answer for good, so a repeated call
 * returns the same id and records once. It fails on purpose for accounts whose name starts
 * with {@code fail-} and for a configurable share of calls.
 */
@ApplicationScoped
public class SandboxConnector implements SocialConnector {
    public static final String NAME = "sandbox";
    public static final String SOURCE = "sandbox";
    public static final String FAILING_ACCOUNT_PREFIX = "fail-";

    @Inject
    TimeSource time;

    @Inject
    SandboxDeliveryRepository deliveries;

    @Inject
    SandboxConfig config;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<DeliveryResult> publish(Delivery delivery) {
        SandboxDelivery record = new SandboxDelivery();
        record.idempotencyKey = delivery.idempotencyKey();
        record.postId = delivery.postId();
        record.workspaceId = delivery.workspaceId();
        record.accountId = delivery.account().id();
        record.platform = delivery.account().platform();
        record.accountName = delivery.account().name();
        record.content = delivery.content();
        record.mediaIds = delivery.media().stream().map(MediaFile::id).toArray(String[]::new);
        record.createdAt = time.now();
        String error = refusal(delivery);
        record.published = error == null;
        record.externalId = error == null ? externalId(delivery.idempotencyKey()) : null;
        record.error = error;
        return Panache.withTransaction(() -> deliveries.recordOnce(record))
                .map(first -> first.published ? DeliveryResult.published(first.externalId) : DeliveryResult.failed(first.error));
    }

    private String refusal(Delivery delivery) {
        String name = delivery.account().name();
        if (name != null && name.startsWith(FAILING_ACCOUNT_PREFIX)) {
            return "sandbox: the account '" + name + "' refuses every post (sandbox accounts named fail-… always fail)";
        }
        double rate = config.failureRate();
        if (rate > 0 && draw(delivery.idempotencyKey()) < rate) {
            return "sandbox: simulated platform error (postgate.publish.sandbox.failure-rate=" + rate + ")";
        }
        return null;
    }

    /** Sandbox analytics: numbers that look plausible and are always the same for one external id. */
    @Override
    public Uni<TargetMetrics> metrics(PublishedTarget target) {
        ByteBuffer hash = ByteBuffer.wrap(Sha256.of(target.externalId()));
        long impressions = 100 + Math.floorMod(hash.getInt(), 4900);
        long likes = Math.floorMod(hash.getInt(), (int) (impressions / 10) + 1);
        long comments = Math.floorMod(hash.getInt(), (int) (likes / 5) + 1);
        long shares = Math.floorMod(hash.getInt(), (int) (likes / 4) + 1);
        long clicks = Math.floorMod(hash.getInt(), (int) (impressions / 20) + 1);
        return Uni.createFrom().item(new TargetMetrics(SOURCE, impressions, likes, comments, shares, clicks));
    }

    static String externalId(String idempotencyKey) {
        return "sbx_" + Sha256.hex(idempotencyKey).substring(0, 24);
    }

    /** A number in [0, 1) fixed by the key. */
    static double draw(String idempotencyKey) {
        long bits = ByteBuffer.wrap(Sha256.of("draw:" + idempotencyKey)).getLong() >>> 11;
        return bits / (double) (1L << 53);
    }
}
