package dev.postgate.workspaces.calendar;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class CalendarRepository implements PanacheRepositoryBase<CalendarEntry, String> {

    /** A page of a workspace's entries, newest first, optionally with starts_at in [from, to). */
    public Uni<List<CalendarEntry>> page(String orgId, String workspaceId, Instant from, Instant to, PageRequest page) {
        StringBuilder query = new StringBuilder("orgId = :org and workspaceId = :ws");
        Parameters params = Parameters.with("org", orgId).and("ws", workspaceId);
        if (from != null) {
            query.append(" and startsAt >= :from");
            params.and("from", from);
        }
        if (to != null) {
            query.append(" and startsAt < :to");
            params.and("to", to);
        }
        return page.newestFirst(this, query.toString(), params);
    }

    public Uni<CalendarEntry> findInWorkspace(String orgId, String workspaceId, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws",
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId)).firstResult();
    }

    public Uni<CalendarEntry> lockInWorkspace(String orgId, String workspaceId, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws",
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
