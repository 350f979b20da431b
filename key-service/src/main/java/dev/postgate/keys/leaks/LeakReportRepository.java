package dev.postgate.keys.leaks;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.postgate.common.db.DueRows;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LeakReportRepository implements PanacheRepositoryBase<LeakReport, String> {

    /** The oldest waiting reports, locked; rows another instance is working on are skipped. */
    public Uni<List<LeakReport>> lockOldest(int max) {
        return DueRows.lock(LeakReport.class, "from LeakReport order by receivedAt, id", max);
    }

    public Uni<Long> deleteByIds(List<String> ids) {
        return delete("id in ?1", ids);
    }
}
