package dev.postgate.publish.media;

import io.smallrye.mutiny.Uni;

/**
 * Who still needs a media file before it may be deleted. Implemented by the posts feature
 * ({@code posts.PostMediaUsers}): media sits below posts and never calls up into them.
 */
public interface MediaUsers {

    /** Posts of the workspace that may still be published with this media. */
    Uni<Long> postsThatMayStillPublish(String workspaceId, String mediaId);
}
