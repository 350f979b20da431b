package dev.postgate.common.kafka;

import java.time.Duration;

/**
 * Topic {@code postgate.instances.v1} (SPEC section 6, "Revocation receipts"): what its writers
 * (the consuming instances) and its reader (key-service) must agree on beyond its name, which
 * each declares where it uses it (as for every topic, checked by integration-tests'
 * CrossFileAgreementTest).
 */
public final class InstancesTopic {
    /**
     * The longest staleness window an instance may announce. key-service counts an instance live
     * for its window + 1 s after its last alive and learns of instances by reading the topic from a
     * little more than this before it started, so a longer window could leave an instance that
     * still trusts its cache out of a confirmed receipt; such an instance refuses to start.
     */
    public static final Duration MAX_STALENESS_WINDOW = Duration.ofSeconds(60);

    private InstancesTopic() {
    }
}
