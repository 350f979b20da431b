package dev.postgate.common.outbox;

/**
 * An event the outbox sends (SPEC section 6): it carries its own id, which a request that sends
 * its own events claims so that relay passes leave its row alone ({@link Outbox#sendOwnEvents()}).
 */
public interface OutgoingEvent {
    String id();
}
