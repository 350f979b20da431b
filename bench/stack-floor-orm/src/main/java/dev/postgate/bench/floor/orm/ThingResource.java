package dev.postgate.bench.floor.orm;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** One read through Hibernate Reactive with Panache, as the services read their entities. */
@Path("/things")
public class ThingResource {
    @Inject
    Things things;

    @GET
    @WithSession
    public Uni<List<Thing>> list() {
        return things.listAll();
    }

    @ApplicationScoped
    public static class Things implements PanacheRepositoryBase<Thing, String> {
    }
}
