package dev.postgate.workspaces.accounts;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.postgate.common.api.Identified;
import dev.postgate.common.validation.Fields;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the social-account API (JSON, snake_case). */
public final class AccountViews {
    private AccountViews() {
    }

    static final int MAX_NAME = 100;

    public record ConnectAccountRequest(
            @NotNull(message = "is required: one of " + Platforms.LIST)
            @Pattern(regexp = Platforms.PATTERN, message = "is not a supported platform: use one of " + Platforms.LIST) String platform,
            @NotBlank(message = "is required") @Text(max = MAX_NAME) String name) {
        public ConnectAccountRequest {
            name = Fields.trimmed(name);
        }
    }

    public record AccountView(String id, String workspaceId, String platform, String name, String health, Instant createdAt,
            Instant updatedAt) implements Identified {

        public static AccountView of(SocialAccount account) {
            return new AccountView(account.id, account.workspaceId, account.platform, account.name, account.health,
                    account.createdAt, account.updatedAt);
        }
    }
}
