package dev.postgate.common.concurrent;

import java.util.concurrent.Executor;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Answers go back to the Vert.x context of whoever asked: a request's context is where its
 * database session lives, so an answer that completes on another thread (a Kafka producer's, the
 * batch statement's, an HTTP client's) must not run what follows there. Called off any context
 * (a plain thread, a unit test), tasks run where they complete.
 */
public final class CallerContext {
    private CallerContext() {
    }

    /** Runs tasks on the context current now (capture it on the caller's side, before handing work away). */
    public static Executor capture() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /** {@code answer}, emitted on the context of whoever subscribes to it. */
    public static <T> Uni<T> answerOnCallers(Uni<T> answer) {
        return Uni.createFrom().deferred(() -> answer.emitOn(capture()));
    }
}
