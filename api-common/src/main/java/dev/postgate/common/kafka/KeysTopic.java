package dev.postgate.common.kafka;

/**
 * Topic {@code postgate.api-keys.v1} (SPEC section 6): the event types its writer (key-service)
 * and its readers (the consuming services' key caches) must agree on beyond its name, which each
 * declares where it uses it (as for every topic, checked by integration-tests'
 * CrossFileAgreementTest).
 */
public final class KeysTopic {
    /** What every key event's {@code type} starts with. */
    public static final String TYPE_PREFIX = "api_key.";
    public static final String CREATED = TYPE_PREFIX + "created";
    /** Final: the key is refused everywhere from now on. */
    public static final String REVOKED = TYPE_PREFIX + "revoked";
    public static final String ROLLED = TYPE_PREFIX + "rolled";
    /** Final, like {@link #REVOKED}. */
    public static final String EXPIRED = TYPE_PREFIX + "expired";

    private KeysTopic() {
    }
}
