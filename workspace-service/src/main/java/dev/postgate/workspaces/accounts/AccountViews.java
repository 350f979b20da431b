package dev.postgate.workspaces.accounts;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import dev.postgate.common.api.Identified;
import dev.postgate.common.validation.OneOf;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the social-account API (JSON, snake_case). */
public final class AccountViews {
    private AccountViews() {
    }

    static final int MAX_NAME = 100;

    public record ConnectAccountRequest(
            @NotNull(message = "is required") @OneOf(Platform.class) String platform,
            @NotBlank(message = "is required") @Text(max = MAX_NAME, shownToAll = true) String name) {
    }

    public record AccountView(String id, String workspaceId, String platform, String name, String health, Instant createdAt,
            Instant updatedAt) implements Identified {

        public static AccountView of(SocialAccount account) {
            return new AccountView(account.id, account.workspaceId, account.platform, account.name, account.health,
                    account.createdAt, account.updatedAt);
        }
    }
}
