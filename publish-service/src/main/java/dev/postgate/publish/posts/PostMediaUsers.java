package dev.postgate.publish.posts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.publish.media.MediaUsers;
import io.smallrye.mutiny.Uni;

/** Posts keep the media they may still publish with: any not deleted and not yet published. */
@ApplicationScoped
public class PostMediaUsers implements MediaUsers {
    @Inject
    PostRepository posts;

    @Override
    public Uni<Long> postsThatMayStillPublish(String workspaceId, String mediaId) {
        return posts.countMayStillPublishWith(workspaceId, mediaId);
    }
}
