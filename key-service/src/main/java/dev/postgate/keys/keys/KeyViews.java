package dev.postgate.keys.keys;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.postgate.common.api.Identified;
import dev.postgate.common.api.Ids;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.keys.KeyRedaction;
import dev.postgate.common.validation.OneOf;
import dev.postgate.common.validation.Text;
import dev.postgate.keys.receipts.Receipts.Propagation;

/** Request and response bodies of the key API (JSON, snake_case). */
public final class KeyViews {
    private KeyViews() {
    }

    public static final int MAX_NAME = 100;
    static final int MAX_REASON = 500;
    static final int MAX_WORKSPACES = 100;

    /** Scopes and preset are checked when they are expanded ({@link ScopeExpansion}), the rest as the body is read. */
    public record CreateKeyRequest(@NotBlank(message = NAME_RULE) @Text(max = MAX_NAME, shownToAll = true) String name,
            List<String> scopes, String preset,
            @Size(min = 1, message = "cannot be empty: leave it out for every workspace")
            @Size(max = MAX_WORKSPACES, message = "can limit a key to at most " + MAX_WORKSPACES + " workspaces")
            List<@NotNull(message = WORKSPACE_ID_RULE) @Pattern(regexp = Ids.WORKSPACE + Ids.SUFFIX, message = WORKSPACE_ID_RULE) String> workspaceIds,
            @Future(message = "must be in the future") Instant expiresAt,
            @OneOf(KeyMode.class) String mode) {
    }

    /** The name is the only thing a key's PATCH changes; any other field is refused naming it. */
    public record RenameKeyRequest(@NotBlank(message = NAME_RULE) @Text(max = MAX_NAME, shownToAll = true) String name) {
    }

    static final String NAME_RULE = "is required (1 to " + MAX_NAME + " characters)";
    static final String WORKSPACE_ID_RULE = "is not a workspace id (ws_…)";

    /** {@code expires_at}, when sent, may only bring the new key's expiry forward (a roll never extends a key's life). */
    public record RollKeyRequest(Long expireOldInSeconds, @Future(message = "must be in the future") Instant expiresAt) {
    }

    /**
     * Free text, checked like every other text field of a body. The reason goes into the audit log
     * and the event, so a key pasted into it (the leaked one, say) is redacted first: a key is
     * never put in an event (SPEC section 2).
     */
    public record RevokeKeyRequest(@Text(max = MAX_REASON) String reason) {
        public RevokeKeyRequest {
            reason = reason == null || reason.isEmpty() ? null : KeyRedaction.redact(reason);
        }
    }

    /** A key as every response shows it; {@code key} (the secret) only in create and roll answers. */
    public record KeyView(String id, String name,
            @JsonInclude(JsonInclude.Include.NON_NULL) String key,
            String start, String last4, Set<String> scopes, List<String> workspaceIds, KeyMode mode, String status,
            Instant createdAt, Instant updatedAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String rolledTo,
            @JsonInclude(JsonInclude.Include.NON_NULL) RolledFrom rolledFrom,
            @JsonInclude(JsonInclude.Include.NON_NULL) Leak leak,
            @JsonInclude(JsonInclude.Include.NON_NULL) Propagation propagation) implements Identified {

        public static KeyView of(ApiKey key, Instant now) {
            Leak leak = key.leakReportedBy == null ? null : new Leak(key.leakReportedBy, key.leakFoundAt, key.revokedAt);
            return new KeyView(key.id, key.name, null, key.start, key.last4, key.scopeSet(), key.workspaceList(),
                    key.keyMode(), key.statusAt(now).wire(), key.createdAt, key.updatedAt, key.expiresAt, key.lastUsedAt,
                    key.revokedAt, key.rolledTo, null, leak, null);
        }

        public KeyView withSecret(String secret) {
            return new KeyView(id, name, secret, start, last4, scopes, workspaceIds, mode, status, createdAt, updatedAt,
                    expiresAt, lastUsedAt, revokedAt, rolledTo, rolledFrom, leak, propagation);
        }

        public KeyView withRolledFrom(RolledFrom from) {
            return new KeyView(id, name, key, start, last4, scopes, workspaceIds, mode, status, createdAt, updatedAt,
                    expiresAt, lastUsedAt, revokedAt, rolledTo, from, leak, propagation);
        }

        /** With the revocation receipt of the change this answer is about (SPEC section 6); null leaves it out. */
        public KeyView withPropagation(Propagation receipt) {
            return new KeyView(id, name, key, start, last4, scopes, workspaceIds, mode, status, createdAt, updatedAt,
                    expiresAt, lastUsedAt, revokedAt, rolledTo, rolledFrom, leak, receipt);
        }
    }

    /**
     * On a key revoked as leaked (SPEC section 10): who reported it ({@code github-secret-scanning}
     * or {@code public-report}), where it was found (a URL, when the report says) and when it was revoked.
     */
    public record Leak(String reportedBy, String foundAt, Instant revokedAt) {
    }

    /** In a roll answer: the key that was rolled and when it stops working. */
    public record RolledFrom(String id, Instant expiresAt) {
    }

    /** A new key and its secret, on its way to the one response that shows it. */
    public record IssuedKey(ApiKey key, String secret) {
    }
}
