package dev.postgate.publish.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.postgate.publish.media.MediaTypes;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;

/**
 * Rendering does not queue behind other requests' blocking work. Each request runs on a context of
 * its own, but all the contexts of one event loop share that loop's queue of ordered blocking
 * tasks, so an ordered render waited for every ordered task started before it on that loop: one
 * slow video held back the images of every request the loop served.
 */
class BuiltInProviderRenderingTest {
    private final Vertx vertx = Vertx.vertx();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        vertx.closeAndAwait();
    }

    @Test
    void aRenderDoesNotWaitForBlockingWorkStartedBeforeItOnTheSameEventLoop() throws Exception {
        BuiltInProvider provider = new BuiltInProvider();
        provider.vertx = vertx;
        // Two requests served by one event loop, each on a context of its own, as Quarkus runs them.
        io.vertx.core.Context loop = vertx.getDelegate().getOrCreateContext();
        Context otherRequest = Context.newInstance(VertxContext.createNewDuplicatedContext(loop));
        Context thisRequest = Context.newInstance(VertxContext.createNewDuplicatedContext(loop));
        CountDownLatch busy = new CountDownLatch(1);
        otherRequest.runOnContext(() -> otherRequest.executeBlocking(Uni.createFrom().item(() -> {
            busy.countDown();
            awaitRelease();
            return "done";
        })).subscribe().with(done -> { }, failure -> { }));
        assertTrue(busy.await(10, TimeUnit.SECONDS), "the other request's blocking task started");
        CompletableFuture<GenerationProvider.Output> rendered = new CompletableFuture<>();
        thisRequest.runOnContext(() -> provider.generate(new GenerationProvider.Spec(GenerationKind.IMAGE, "launch day", null, 320, 200))
                .subscribe().with(rendered::complete, rendered::completeExceptionally));
        GenerationProvider.Output output = rendered.get(20, TimeUnit.SECONDS);
        assertEquals(MediaTypes.PNG, output.contentType());
        assertTrue(release.getCount() == 1, "the other task was still running when the image was rendered");
    }

    private void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
