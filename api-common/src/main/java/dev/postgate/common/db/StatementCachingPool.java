package dev.postgate.common.db;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The services' reactive PostgreSQL pool, as Quarkus configures it, except that every prepared
 * statement is kept on its connection whatever its length (issue 13). The client's default keeps
 * only statements up to 2,048 characters; the one-statement credit reserve is longer, so it was
 * parsed and planned again on every call. The statements are the services' own, a fixed set;
 * {@link PgConnectOptions#getPreparedStatementCacheMaxSize()} still bounds how many a connection keeps.
 * <p>
 * One difference from Quarkus' own pool: a datasource credentials provider is asked once, when
 * the options handed to this creator are made (Quarkus 3.34's {@code PgPoolRecorder} does that),
 * not again for each new connection, because a {@link PgPoolCreator} gets no connect-options
 * supplier. Credentials that rotate while a service runs would need that supplier; Postgate's
 * services use a fixed user and password.
 */
@Singleton
public class StatementCachingPool implements PgPoolCreator {
    /** Longer than any statement a service prepares. */
    static final int STATEMENT_LENGTH_LIMIT = 65_536;

    @Override
    public Pool create(Input input) {
        List<SqlConnectOptions> databases = new ArrayList<>();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            databases.add(options.setPreparedStatementCacheSqlLimit(STATEMENT_LENGTH_LIMIT));
        }
        return PgBuilder.pool().with(input.poolOptions()).connectingTo(databases).using(input.vertx()).build();
    }
}
