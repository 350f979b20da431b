package dev.postgate.publish.publishing;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The background worker that publishes due posts, sends targets and finishes interrupted work. */
@ConfigMapping(prefix = "postgate.publish.worker")
public interface WorkerConfig {

    /** Off only for instances that must not do background work (the API still answers). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Safety-net poll (the scheduler's smallest interval is 1 s; PublishWorker's schedule reads this
     * default); publishing also wakes the worker at once.
     */
    @WithDefault("1s")
    Duration interval();

    /** Posts or targets taken per round. */
    @WithDefault("20")
    int batchSize();

    /**
     * How long a claim on a post (while reserving credits) or a target (while sending, settling
     * or refunding) holds; after that another worker finishes what the holder left. A claim on a
     * target is kept for a whole lease again before a platform call it might not outlast.
     */
    @WithDefault("60s")
    Duration lease();

    /**
     * A target whose platform call keeps failing without an answer is given up (and refunded)
     * after this long; keep it below workspace-service's reservation timeout (15 minutes), after
     * which an unsettled reservation is refunded anyway.
     */
    @WithDefault("10m")
    Duration giveUpAfter();

    /**
     * How long one platform call may take: one that has not answered by then fails as a call that
     * could not reach the platform does (repeated once its claim runs out, until
     * {@link #giveUpAfter()}), so that a stalled connection neither stops the worker nor keeps the
     * credit. Keep it below {@link #lease()}.
     */
    @WithDefault("30s")
    Duration platformTimeLimit();

    /**
     * A target is sent only while its credits are held for at least this long (issue 13): a
     * reservation that runs out sooner (a worker backlog, a recovered crash) is replaced by a new
     * one first, so the settle after the platform's answer never meets a reservation that ran out.
     */
    @WithDefault("2m")
    Duration reservationMargin();
}
