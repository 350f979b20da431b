package dev.postgate.bench.floor;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** The floor app's endpoints: the load target (/hello, as on the minimal app) and one query on the pool. */
@Path("/")
public class FloorResource {
    @Inject
    Pool pool;

    @GET
    @Path("hello")
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "hello";
    }

    @GET
    @Path("schema")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> schema() {
        return pool.query("select current_schema()").execute().map(rows -> rows.iterator().next().getString(0));
    }
}
