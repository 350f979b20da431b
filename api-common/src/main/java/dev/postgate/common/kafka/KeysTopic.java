package dev.postgate.common.kafka;

/**
 * Topic {@value #NAME} (SPEC section 6): its name and the event types its writer (key-service)
 * and its readers (the consuming services' key caches) must agree on. The deployments create it
 * by that name (checked by integration-tests' CrossFileAgreementTest).
 */
public final class KeysTopic {
    public static final String NAME = "postgate.api-keys.v1";
    /** What every key event's {@code type} starts with. */
    public static final String TYPE_PREFIX = "api_key.";
    public static final String CREATED = TYPE_PREFIX + "created";
    /** Final: the key is refused everywhere from now on. */
    public static final String REVOKED = TYPE_PREFIX + "revoked";
    public static final String ROLLED = TYPE_PREFIX + "rolled";
    /**
     * The key was renamed (it carries no name: readers drop the key from their caches, so that
     * whoami shows the new name). Not in SPEC section 6's list; readers ignore types they do not know.
     */
    public static final String UPDATED = TYPE_PREFIX + "updated";
    /** Final, like {@link #REVOKED}. */
    public static final String EXPIRED = TYPE_PREFIX + "expired";

    private KeysTopic() {
    }
}
