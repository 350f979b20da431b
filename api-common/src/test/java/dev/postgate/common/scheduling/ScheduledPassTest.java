package dev.postgate.common.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class ScheduledPassTest {
    private static final Logger LOG = Logger.getLogger(ScheduledPassTest.class);
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @Test
    void aCountedPassIsFollowedUpOnlyWhenItDealtWithSomething() {
        List<Integer> followedUp = new ArrayList<>();
        ScheduledPass.counted(Uni.createFrom().item(0), followedUp::add, LOG, "Nothing due").await().atMost(AT_ONCE);
        ScheduledPass.counted(Uni.createFrom().item(3), followedUp::add, LOG, "Three due").await().atMost(AT_ONCE);
        assertEquals(List.of(3), followedUp);
    }

    @Test
    void aListedPassIsFollowedUpOnlyWhenItDealtWithSomething() {
        List<List<String>> followedUp = new ArrayList<>();
        ScheduledPass.listed(Uni.createFrom().item(List.<String>of()), followedUp::add, LOG, "Nothing queued").await().atMost(AT_ONCE);
        ScheduledPass.listed(Uni.createFrom().item(List.of("a", "b")), followedUp::add, LOG, "Two queued").await().atMost(AT_ONCE);
        assertEquals(List.of(List.of("a", "b")), followedUp);
    }

    @Test
    void aFailedPassEndsNormallySoTheSchedulerRunsItAgain() {
        List<Integer> followedUp = new ArrayList<>();
        Uni<Integer> failing = Uni.createFrom().failure(new IllegalStateException("database down"));
        assertNull(ScheduledPass.counted(failing, followedUp::add, LOG, "Failing pass").await().atMost(AT_ONCE));
        assertNull(ScheduledPass.run(Uni.createFrom().failure(new IllegalStateException("down")), LOG, "Failing pass")
                .await().atMost(AT_ONCE));
        assertEquals(List.of(), followedUp);
    }

    @Test
    void eachItemOfAPassIsTriedInTurnAndAFailedOneDoesNotStopTheOthers() {
        List<String> done = new ArrayList<>();
        int count = ScheduledPass.eachInTurn(List.of("a", "b", "c"), item -> item.equals("b")
                ? Uni.createFrom().failure(new IllegalStateException("lost the lease"))
                : Uni.createFrom().voidItem().invoke(() -> done.add(item)), item -> "item " + item, LOG, "do an item")
                .await().atMost(AT_ONCE);
        assertEquals(3, count);
        assertEquals(List.of("a", "c"), done);
    }
}
