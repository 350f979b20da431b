package dev.postgate.workspaces.accounts;

import java.time.Instant;

/** Request and response bodies of the social-account API (JSON, snake_case). */
public final class AccountViews {
    private AccountViews() {
    }

    public record ConnectAccountRequest(String platform, String name) {
    }

    public record AccountView(String id, String workspaceId, String platform, String name, String health, Instant createdAt,
            Instant updatedAt) {

        public static AccountView of(SocialAccount account) {
            return new AccountView(account.id, account.workspaceId, account.platform, account.name, account.health,
                    account.createdAt, account.updatedAt);
        }
    }
}
