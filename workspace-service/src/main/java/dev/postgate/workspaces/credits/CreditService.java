package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.idempotency.IdempotencyFilters;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.credits.CreditViews.AccountCredits;
import dev.postgate.workspaces.credits.CreditViews.BalanceView;
import dev.postgate.workspaces.credits.CreditViews.GrantRequest;
import dev.postgate.workspaces.credits.CreditViews.WorkspaceCredits;
import dev.postgate.workspaces.workspaces.WorkspaceAccess;
import dev.postgate.workspaces.workspaces.WorkspaceRepository;
import dev.postgate.workspaces.workspaces.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Credit grants by admins, and reading balances and the ledger. */
@ApplicationScoped
public class CreditService {
    @Inject
    TimeSource time;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    LedgerRepository entries;

    @Inject
    Ledger ledger;

    @Inject
    CreditsConfig config;

    /**
     * Adds credits to a workspace. With an Idempotency-Key, a grant already made with that key in
     * this workspace is not made again: the answer is the current balance; a grant of another
     * amount or reason under that key is 409 IDEMPOTENCY_CONFLICT (as a reservation's is).
     */
    @WithTransaction
    public Uni<BalanceView> grant(Caller caller, String workspaceId, GrantRequest body, String idempotencyKey) {
        if (idempotencyKey != null) {
            IdempotencyFilters.checkKey(idempotencyKey);
        }
        long amount = body.amount().credits();
        String reason = body.reason();
        Instant now = time.now();
        return workspaces.lockInOrg(caller.orgId(), workspaceId)
                .onItem().ifNull().failWith(() -> WorkspaceService.notFound(workspaceId))
                .chain(workspace -> {
                    Uni<LedgerEntry> earlier = idempotencyKey == null ? Uni.createFrom().nullItem()
                            : entries.findGrant(workspace.id, idempotencyKey);
                    return earlier.chain(grant -> {
                        if (grant != null) {
                            checkSameGrant(grant, amount, reason);
                            return Uni.createFrom().voidItem();
                        }
                        return ledger.apply(workspace, new Ledger.Change(LedgerKind.GRANT, amount, reason, null, caller.actor(),
                                idempotencyKey, null), now).replaceWithVoid();
                    }).map(ignored -> new BalanceView(workspace.id, workspace.balance));
                });
    }

    private static void checkSameGrant(LedgerEntry earlier, long amount, String reason) {
        if (earlier.amount != amount || !Objects.equals(earlier.reason, reason)) {
            throw ConflictException.idempotency("This Idempotency-Key was already used for a grant to this workspace "
                    + "with a different amount or reason.");
        }
    }

    @WithSession
    public Uni<Page<LedgerEntry>> ledger(Caller caller, String workspaceId, PageRequest page) {
        return workspaces.findVisible(WorkspaceAccess.organisation(caller.orgId()), workspaceId)
                .onItem().ifNull().failWith(() -> WorkspaceService.notFound(workspaceId))
                .chain(workspace -> entries.page(workspace.id, page))
                .map(rows -> Page.of(rows, page, e -> e.id));
    }

    /** The balances of the workspaces the caller may use (or the one of X-Workspace-Id) and their total. */
    @WithSession
    public Uni<AccountCredits> balances(Caller caller) {
        return workspaces.all(WorkspaceAccess.of(caller)).map(all -> {
            List<WorkspaceCredits> each = all.stream().map(w -> new WorkspaceCredits(w.id, w.name, w.balance)).toList();
            return new AccountCredits(each.stream().mapToLong(WorkspaceCredits::balance).sum(), each);
        });
    }
}
