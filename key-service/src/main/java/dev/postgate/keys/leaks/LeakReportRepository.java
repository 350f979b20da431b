package dev.postgate.keys.leaks;

import java.util.Collection;
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
     * The first {@code :max} waiting reports, taken off the queue in one statement (rows another
     * instance is working on are skipped), and of their hashes those of keys still active: the
     * reports of keys that were active when reported first, then the oldest. A report of a key
     * nobody holds costs a deleted row, not a lookup of its own, and a backlog of those, however
     * long, waits behind every real report. The rows taken (locked, so where they are cannot
     * change) are deleted by their place in the table ({@code ctid}): a scan of those rows alone,
     * whatever the planner believes of the queue's size. A flood's rows have no statistics until
     * the table is next analysed, and the delete planned from those scanned the whole queue once
     * per row taken (a join with the taken rows, or their ids as an array): 10 to 30 s a pass
     * behind 200,000 reports, about 0.2 s now.
     */
    static final String TAKE_OLDEST = """
            with removed as (
                delete from leak_reports where ctid = any(array(
                    select ctid from leak_reports order by of_active_key desc, received_at, id limit :max for update skip locked))
                returning key_hash)
            select distinct removed.key_hash from removed
            join api_keys k on k.key_hash = removed.key_hash and k.status = %s
            order by removed.key_hash""".formatted(Literals.of(KeyStatus.ACTIVE));

    /** Of {@code hashes}, those of active keys. */
    public Uni<List<String>> activeAmong(Collection<String> hashes) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "select key_hash from api_keys where key_hash in (:hashes) and status = " + Literals.of(KeyStatus.ACTIVE), String.class)
                .setParameter("hashes", hashes).getResultList());
    }

    /** See {@link #TAKE_OLDEST}: the hashes of active keys among the first {@code max} reports, now off the queue. */
    public Uni<List<String>> takeOldest(int max) {
        return Panache.getSession().chain(session -> session.createNativeQuery(TAKE_OLDEST, String.class)
                .setParameter("max", max).getResultList());
    }
}
