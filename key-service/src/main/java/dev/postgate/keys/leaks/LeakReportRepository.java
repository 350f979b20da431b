package dev.postgate.keys.leaks;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LeakReportRepository implements PanacheRepositoryBase<LeakReport, String> {

    /** The oldest waiting reports, locked; rows another instance is working on are skipped. */
    public Uni<List<LeakReport>> lockOldest(int max) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select * from leak_reports
                 order by received_at, id
                 limit :max
                 for update skip locked""", LeakReport.class)
                .setParameter("max", max)
                .getResultList());
    }

    public Uni<Long> deleteByIds(List<String> ids) {
        return delete("id in ?1", ids);
    }
}
