package dev.postgate.publish.publishing;

/**
 * A CDI event: a request committed work for the background worker (targets to send), which
 * starts a pass at once instead of at its next tick. An event, because the worker sits above
 * publishing and publishing never calls up into it.
 */
public record WorkAdded() {
}
