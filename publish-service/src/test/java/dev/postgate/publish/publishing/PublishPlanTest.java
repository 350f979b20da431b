package dev.postgate.publish.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.GenericPlan;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The publish request's one-statement steps read posts and targets by index whatever PostgreSQL
 * knows of the tables (issue 13): {@link PostTargetRepository#START} joined the post it had locked
 * back to {@code posts} by a sequential scan in a generic plan made while the table looked small,
 * on every publish while the connection lived. See {@link GenericPlan}.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PublishPlanTest {
    private static final List<String> TABLES = List.of("posts", "post_targets");

    @Test
    void startingAPublishReadsByIndexInAGenericPlanOnEmptyTables() throws Exception {
        String plan = GenericPlan.explain("publish_service", TABLES, PostTargetRepository.START,
                "text, text, text, boolean, timestamptz, text, timestamptz, varchar[], text[], text[], text[], text[], text[]",
                "'post_1', 'org_1', 'ws_1', false, now(), 'lease', now(), array['acc_1']::varchar[], array['tgt_1'], "
                        + "array['acc_1'], array['linkedin'], array['page'], array['draft']");
        assertEquals(List.of(), GenericPlan.scannedWhole(plan, TABLES), plan);
    }

    @Test
    void markingTargetsReservedReadsByIndexInAGenericPlanOnEmptyTables() throws Exception {
        String plan = GenericPlan.explain("publish_service", TABLES, PostTargetRepository.MARK_RESERVED,
                "text, text, timestamptz, text[], text[], timestamptz[]",
                "'post_1', 'lease', now(), array['tgt_1'], array['res_1'], array[now()]");
        assertEquals(List.of(), GenericPlan.scannedWhole(plan, TABLES), plan);
    }
}
