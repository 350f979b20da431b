package dev.postgate.common.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Topic {@value #NAME} (SPEC section 6, "Revocation receipts"): what its writers (the consuming
 * instances) and its reader (key-service) must agree on, its name first. The deployments create it
 * by that name (checked by integration-tests' CrossFileAgreementTest).
 */
public final class InstancesTopic {
    public static final String NAME = "postgate.instances.v1";
    /**
     * The longest staleness window an instance may announce. key-service counts an instance live
     * for its window + 1 s after its last alive and learns of instances by reading the topic from a
     * little more than this before it started, so a longer window could leave an instance that
     * still trusts its cache out of a confirmed receipt; such an instance refuses to start.
     */
    public static final Duration MAX_STALENESS_WINDOW = Duration.ofSeconds(60);

    /** How long after its staleness window an instance that said nothing more still counts as live. */
    public static final Duration LIVENESS_GRACE = Duration.ofSeconds(1);

    /**
     * The services whose instances report (their {@code quarkus.application.name}): key-service
     * counts no other in a receipt, and an instance of a service not named here refuses to start
     * rather than report to no one while it trusts its cache.
     */
    public static final Set<String> SERVICES = Set.of("workspace-service", "publish-service");

    /** The {@code type} of an instance's heartbeat. */
    public static final String ALIVE = "instance.alive";

    /** The {@code type} of "this instance applied a key's event". */
    public static final String APPLIED = "api_key.applied";

    /** The {@code version} of both records; key-service reads the fields it knows of any version. */
    public static final int VERSION = 1;

    /** {@value #ALIVE}: who the instance is and whether it trusts its cache now. */
    // Serialised by the instances' producer (Jackson outside a REST resource): registered for native images.
    @RegisterForReflection
    public record Alive(String type, String instance, String service, Instant startedAt, Instant occurredAt, long stalenessMs,
            boolean cacheTrusted, int version) {
    }

    /** {@value #APPLIED}: the instance applied the key's event {@code seq} (its eviction is done). */
    @RegisterForReflection
    public record Applied(String type, String instance, String service, String keyId, long seq, Instant eventOccurredAt,
            Instant appliedAt, int version) {
    }

    /**
     * The names {@link Alive} and {@link Applied} are written with (snake_case), for key-service,
     * which reads the records field by field so that a field an instance leaves out takes its
     * safe default.
     */
    public static final class Fields {
        public static final String TYPE = "type";
        public static final String INSTANCE = "instance";
        public static final String SERVICE = "service";
        public static final String STALENESS_MS = "staleness_ms";
        public static final String CACHE_TRUSTED = "cache_trusted";
        public static final String KEY_ID = "key_id";
        public static final String SEQ = "seq";
        public static final String EVENT_OCCURRED_AT = "event_occurred_at";
        public static final String APPLIED_AT = "applied_at";

        private Fields() {
        }
    }

    private InstancesTopic() {
    }

    /** An instance's id, also the key of its records: {@code service@host:port#random}. */
    public static String instanceId(String service, String host, int port, String random) {
        return service + "@" + host + ":" + port + "#" + random;
    }

    /** Whether {@code id} is an instance id of {@code service}. */
    public static boolean isInstanceOf(String id, String service) {
        return id.startsWith(service + "@");
    }

    /** The opaque name of an instance shown in answers: the service and the random part of its id (never host or port). */
    public static String label(String id, String service) {
        int hash = id.lastIndexOf('#');
        return service + "#" + (hash < 0 ? "?" : id.substring(hash + 1));
    }
}
