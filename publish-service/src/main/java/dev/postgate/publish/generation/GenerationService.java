package dev.postgate.publish.generation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.NotFoundException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Reading a workspace's generated captions, images and videos. */
@ApplicationScoped
public class GenerationService {
    @Inject
    GenerationRepository generations;

    @WithSession
    public Uni<Page<Generation>> list(Caller caller, GenerationKind kind, PageRequest page) {
        return generations.page(caller.orgId(), caller.workspaceId(), kind, page).map(rows -> Page.of(rows, page, g -> g.id));
    }

    @WithSession
    public Uni<Generation> get(Caller caller, GenerationKind kind, String id) {
        return generations.findSucceeded(caller.orgId(), caller.workspaceId(), kind, id)
                .onItem().ifNull().failWith(() -> new NotFoundException("Generated " + kind.wire() + " " + id));
    }
}
