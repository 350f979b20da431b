package dev.postgate.keyclient;

/**
 * A key event read from {@code postgate.api-keys.v1}, fired (synchronously, as a CDI event) by
 * {@link KeyAndWorkspaceEvents} to whoever keeps something about keys ({@link KeyVerifier}); when the
 * observers return, the eviction is done and the instance acknowledges the event.
 */
public record KeyChanged(String keyId, long seq, String type) {
}
