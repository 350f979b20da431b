package dev.postgate.keys.verification;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.postgate.common.client.InternalLimits;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.time.TimeSource;
import dev.postgate.keys.keys.KeyRepository;
import dev.postgate.keys.keys.KeySecrets;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** What the consuming services ask key-service: is this key real, and when was it last used. */
@ApplicationScoped
public class VerificationService {
    @Inject
    KeyRepository keys;

    @Inject
    KeySecrets secrets;

    @Inject
    TimeSource time;

    public record VerifyRequest(@NotNull(message = "is required") String key) {
    }

    /** SPEC section 7: every existing key is answered, revoked and expired ones with their status. */
    public record VerifiedKey(String id, String orgId, String name, Set<String> scopes, List<String> workspaceIds,
            String mode, String status, Instant expiresAt, long seq) {
    }

    public record UsageItem(@NotNull(message = "is required") String keyId, @NotNull(message = "is required") Instant lastUsedAt) {
    }

    public record UsageReport(
            @NotNull(message = "is required: send [{\"key_id\": …, \"last_used_at\": …}]")
            @Size(max = InternalLimits.USAGE_ITEMS, message = "holds at most {max} items per report")
            List<@NotNull(message = "is required") @Valid UsageItem> items) {
    }

    public record UsageAccepted(int updated) {
    }

    /** Checksum first (no lookup for a mistyped key), then one indexed lookup by HMAC, without a session. */
    public Uni<VerifiedKey> verify(VerifyRequest request) {
        String key = request.key();
        if (!secrets.isWellFormed(key)) {
            throw ValidationException.invalid("key", "The key is not well formed (format or checksum).");
        }
        Instant now = time.now();
        return keys.readByHash(secrets.hash(key))
                .onItem().ifNull().failWith(() -> new NotFoundException("The key"))
                .map(k -> new VerifiedKey(k.id, k.orgId, k.name, k.scopeSet(), k.workspaceList(), k.mode, k.statusAt(now).wire(),
                        k.expiresAt, k.seq));
    }

    /**
     * Moves last_used_at forward (never back); unknown key ids are ignored. The report is validated
     * ({@code @Valid}). The keys are updated in the order of their ids, whatever the report's, so
     * two reports that name the same keys (two instances') never each hold a row the other waits for.
     */
    @WithTransaction
    public Uni<UsageAccepted> recordUsage(UsageReport report) {
        Instant latestAllowed = time.now().plusSeconds(60);
        List<UsageItem> inOrder = report.items().stream().sorted(Comparator.comparing(UsageItem::keyId)).toList();
        Uni<Integer> updated = Uni.createFrom().item(0);
        for (UsageItem item : inOrder) {
            Instant at = item.lastUsedAt().isAfter(latestAllowed) ? latestAllowed : item.lastUsedAt();
            updated = updated.chain(count -> keys.recordUse(item.keyId(), at).map(n -> count + n));
        }
        return updated.map(UsageAccepted::new);
    }

}
