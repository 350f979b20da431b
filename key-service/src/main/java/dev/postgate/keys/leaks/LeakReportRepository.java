package dev.postgate.keys.leaks;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.postgate.common.db.Literals;
import dev.postgate.common.keys.KeyStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LeakReportRepository implements PanacheRepositoryBase<LeakReport, String> {
    /**
     * The oldest {@code :max} waiting reports, taken off the queue in one statement (rows another
     * instance is working on are skipped), and of their hashes those of keys still active:
     * a report of a key nobody holds costs a deleted row, not a lookup of its own, so a flood of
     * made-up keys cannot hold a real one back.
     */
    static final String TAKE_OLDEST = """
            with taken as (
                select id from leak_reports order by received_at, id limit :max for update skip locked),
            removed as (
                delete from leak_reports r using taken where r.id = taken.id returning r.key_hash)
            select distinct removed.key_hash from removed
            join api_keys k on k.key_hash = removed.key_hash and k.status = %s""".formatted(Literals.of(KeyStatus.ACTIVE));

    /** See {@link #TAKE_OLDEST}: the hashes of active keys among the oldest {@code max} reports, now off the queue. */
    public Uni<List<String>> takeOldest(int max) {
        return Panache.getSession().chain(session -> session.createNativeQuery(TAKE_OLDEST, String.class)
                .setParameter("max", max).getResultList());
    }
}
