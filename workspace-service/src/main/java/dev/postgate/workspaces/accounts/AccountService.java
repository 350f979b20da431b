package dev.postgate.workspaces.accounts;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.workspaces.AccountHealth;
import dev.postgate.workspaces.accounts.AccountViews.ConnectAccountRequest;
import dev.postgate.workspaces.workspaces.WorkspaceAccess;
import dev.postgate.workspaces.workspaces.WorkspaceRepository;
import dev.postgate.workspaces.workspaces.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Social accounts connected to workspaces. Admins connect and disconnect; keys read the
 * connected accounts of the workspaces they may use; publish-service checks post targets.
 */
@ApplicationScoped
public class AccountService {
    @Inject
    TimeSource time;

    @Inject
    AccountRepository accounts;

    @Inject
    WorkspaceRepository workspaces;

    @WithTransaction
    public Uni<SocialAccount> connect(Caller caller, String workspaceId, ConnectAccountRequest request) {
        String platform = request.platform();
        String name = request.name();
        Instant now = time.now();
        // The lock keeps a concurrent deletion of the workspace from slipping in between.
        return workspaces.lockInOrg(caller.orgId(), workspaceId)
                .onItem().ifNull().failWith(() -> WorkspaceService.notFound(workspaceId))
                .chain(workspace -> {
                    SocialAccount account = new SocialAccount();
                    account.id = Ids.newId(Ids.ACCOUNT);
                    account.workspaceId = workspace.id;
                    account.orgId = workspace.orgId;
                    account.platform = platform;
                    account.name = name;
                    account.health = AccountHealth.HEALTHY.wire();
                    account.createdAt = now;
                    account.updatedAt = now;
                    return accounts.persist(account);
                });
    }

    /** Disconnects for good: the account is no longer listed, readable or usable as a post target. */
    @WithTransaction
    public Uni<SocialAccount> disconnect(Caller caller, String workspaceId, String accountId) {
        return workspaces.findVisible(WorkspaceAccess.organisation(caller.orgId()), workspaceId)
                .onItem().ifNull().failWith(() -> WorkspaceService.notFound(workspaceId))
                .chain(workspace -> accounts.lockConnected(caller.orgId(), workspace.id, accountId))
                .onItem().ifNull().failWith(() -> notFound(accountId))
                .map(account -> {
                    Instant now = time.now();
                    account.health = AccountHealth.DISCONNECTED.wire();
                    account.disconnectedAt = now;
                    account.updatedAt = now;
                    return account;
                });
    }

    @WithSession
    public Uni<Page<SocialAccount>> list(Caller caller, PageRequest page) {
        return accounts.page(WorkspaceAccess.of(caller), page).map(rows -> Page.of(rows, page, a -> a.id));
    }

    @WithSession
    public Uni<SocialAccount> get(Caller caller, String id) {
        return accounts.findVisible(WorkspaceAccess.of(caller), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * The connected accounts of a workspace among {@code ids} (all of them when {@code ids} is
     * null), for service callers. A deleted workspace has none; an unknown one is 404.
     */
    public Uni<List<SocialAccount>> connectedAmong(String workspaceId, List<String> ids) {
        return accounts.connectedAmong(workspaceId, ids).onItem().ifNull().failWith(() -> WorkspaceService.notFound(workspaceId));
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("Social account " + id);
    }
}
