package dev.postgate.publish.media;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Uploaded and generated media. */
@ConfigMapping(prefix = "postgate.publish.media")
public interface MediaConfig {

    /**
     * The largest file an upload may carry (413 above). {@code postgate.http.body-limits."/api/v1/media"}
     * is at least 64 KiB above it (the multipart form around the file), so that a larger request is
     * refused on its Content-Length, unread, once its credential has passed; {@link MediaLimitCheck}
     * refuses to start otherwise.
     */
    long maxBytes();

    /** Media a post may carry. */
    @WithDefault("10")
    int maxPerPost();

    /**
     * The bytes a workspace may keep in media, uploads and generated files together; an upload
     * that would pass it is 413 with {@code error.quota} and {@code error.used}. Generated files
     * count; a paid one is not refused (credits pay for it), a test-mode one is when the quota is
     * already used up.
     */
    @WithDefault("1073741824")
    long workspaceQuotaBytes();

    /** Uploads a workspace may have in progress at once on one instance (429 above). */
    @WithDefault("4")
    int concurrentUploadsPerWorkspace();

    /** The Retry-After of an upload refused for the concurrency cap. */
    @WithDefault("1s")
    Duration uploadRetryAfter();

    /**
     * Downloads of a workspace's files that may be in progress at once on one instance (429 above):
     * each holds a piece of its file in memory until its client has taken it all.
     */
    @WithDefault("16")
    int concurrentDownloadsPerWorkspace();

    /** The Retry-After of a download refused for the concurrency cap. */
    @WithDefault("1s")
    Duration downloadRetryAfter();

    /**
     * A download whose client takes no piece of the file for this long is cut off (its connection
     * closed), so that a stalled client gives its slot back.
     */
    @WithDefault("1m")
    Duration downloadStallLimit();

    /** The longest an upload may take to arrive (408 after it), so that a stalled client gives its slot back. */
    @WithDefault("10m")
    Duration maxUploadDuration();

    /** The size of the pieces the database storage keeps a file in. */
    @WithDefault("262144")
    int chunkBytes();

    /** Stored pieces no media row claims are swept once this old (well above max-upload-duration). */
    @WithDefault("1h")
    Duration abandonedAfter();

    /** How often the database storage looks for such pieces. */
    @WithDefault("10m")
    Duration sweepInterval();
}
