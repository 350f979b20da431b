package dev.postgate.keys.leaks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.postgate.common.api.Ids;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.hash.Sha256;
import dev.postgate.common.http.DeclaredTypes;
import dev.postgate.common.http.RequestBodies;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.scheduling.ScheduledPass;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.validation.FieldPath;
import dev.postgate.keys.keys.ApiKey;
import dev.postgate.keys.keys.KeySecrets;
import dev.postgate.keys.keys.KeyService;
import dev.postgate.keys.keys.KeyService.LeakFinding;
import dev.postgate.keys.keys.KeyService.Leaked;
import dev.postgate.keys.keys.PropagationWait;
import dev.postgate.keys.receipts.Receipts;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Leaked keys revoked by whoever finds them (SPEC section 10): GitHub's signed secret-scanning
 * reports, answered with GitHub's feedback once every reported key is dealt with, and the public
 * report, answered at once and the same whatever the keys were, its keys revoked from a queue.
 */
@ApplicationScoped
public class LeakReports {
    private static final Logger LOG = Logger.getLogger(LeakReports.class);
    public static final String GITHUB = "github-secret-scanning";
    public static final String PUBLIC = "public-report";
    static final int MAX_GITHUB_TOKENS = 1000;
    /** Reports taken off the queue per pass: a statement's work, even when none names a key. */
    static final int DRAIN_BATCH = 5000;

    /** How long a leak's background receipt waits for the instances (the most a revoke may wait). */
    static final Duration RECEIPT_WAIT = Duration.ofMillis(PropagationWait.MAX_MS);

    @Inject
    TimeSource time;

    @Inject
    Receipts receipts;

    @Inject
    KeyService keys;

    @Inject
    KeySecrets secrets;

    @Inject
    GitHubPublicKeys githubKeys;

    @Inject
    LeakReportRepository queue;

    @Inject
    OutboxRelay relay;

    @Inject
    ObjectMapper mapper;

    /** One item of GitHub's feedback: the token's SHA-256, never the token. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Feedback(String tokenHash, String tokenType, String label) {
    }

    /** A token GitHub found, as its report names it; fields GitHub adds later are passed over. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Found(String token, String type, String url) {
    }

    private static final TypeReference<List<Found>> GITHUB_REPORT = new TypeReference<>() {
    };

    /**
     * GitHub's report, its limit and headers checked ({@link LeakReportChecks}): the signature first
     * (401, nothing revoked, when it does not verify), then each well-formed token of an active key
     * revoked as leaked, all in one transaction.
     */
    public Uni<List<Feedback>> fromGitHub(String keyIdentifier, String signature, String contentType, byte[] body) {
        return githubKeys.verifies(keyIdentifier.strip(), signature, body).chain(verified -> {
            if (!verified) {
                throw new UnauthorizedException(Reason.INVALID,
                        "The report's signature does not verify with GitHub's secret-scanning key " + keyIdentifier.strip() + ".");
            }
            if (!DeclaredTypes.isJsonOrUntyped(contentType)) {
                throw SimpleErrors.unsupportedMediaType("A secret-scanning report is JSON: send it as application/json.");
            }
            // Read first, so that over a thousand tokens is 413 before any 422 (SPEC section 4's order); signed by GitHub,
            // the report's text then meets the rule every body meets (whose list bound, 10,000 items, is above this one).
            List<Found> found = parseGitHubReport(body);
            RequestBodies.checkText(mapper, body);
            Map<String, String> hashes = new HashMap<>();
            found.stream().map(Found::token).filter(secrets::isWellFormed).forEach(token -> hashes.computeIfAbsent(token, secrets::hash));
            return revokeReported(found, hashes).map(leaked -> {
                relay.wake();
                leaked.values().forEach(this::receiptInBackground);
                return found.stream().map(item -> {
                    Leaked one = leaked.get(hashes.get(item.token()));
                    return feedback(item, one != null && one.finding() != LeakFinding.UNKNOWN);
                }).toList();
            });
        });
    }

    /**
     * The report's keys revoked as leaked in one transaction, so that it is answered whole or not at
     * all (a 503 changes nothing, and GitHub sends the report again); each key locked in the order of
     * its hash, so that reports naming the same keys in other orders do not deadlock. A key named
     * twice is revoked where it is first named.
     */
    @WithTransaction
    Uni<Map<String, Leaked>> revokeReported(List<Found> found, Map<String, String> hashes) {
        Map<String, String> foundAt = new TreeMap<>();
        for (Found item : found) {
            String hash = hashes.get(item.token());
            if (hash != null) {
                foundAt.putIfAbsent(hash, item.url());
            }
        }
        Map<String, Leaked> leaked = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, String> key : foundAt.entrySet()) {
            chain = chain.call(() -> keys.revokeLeaked(key.getKey(), GITHUB, key.getValue()).invoke(one -> leaked.put(key.getKey(), one)));
        }
        return chain.replaceWith(leaked);
    }

    private static Feedback feedback(Found item, boolean known) {
        return new Feedback(Sha256.hex(item.token()), item.type(), known ? "true_positive" : "false_positive");
    }

    List<Found> parseGitHubReport(byte[] body) {
        List<Found> report;
        try {
            report = mapper.readValue(body, GITHUB_REPORT);
        } catch (MismatchedInputException e) {
            String field = FieldPath.of(e);
            if (field.isEmpty()) {
                throw ValidationException.badRequest("The report must be a JSON array of {token, type, url, source}.");
            }
            throw ValidationException.badRequest(field, "The report must be a JSON array of {token, type, url, source} with "
                    + "string values; " + field + " is not one.");
        } catch (java.io.IOException e) {
            throw ValidationException.badRequest("The report is not JSON: GitHub sends an array of {token, type, url, source}.");
        }
        if (report == null) {
            throw ValidationException.badRequest("The report must be a JSON array of {token, type, url, source}.");
        }
        if (report.size() > MAX_GITHUB_TOKENS) {
            throw SimpleErrors.payloadTooLarge("A report names at most " + MAX_GITHUB_TOKENS + " tokens; this one names "
                    + report.size() + ".");
        }
        for (int i = 0; i < report.size(); i++) {
            if (report.get(i) == null || report.get(i).token() == null) {
                throw ValidationException.badRequest("[" + i + "].token", "Item " + i + " of the report has no token string.");
            }
        }
        return report;
    }

    /**
     * The public report, its limit checked ({@link LeakReportChecks}) and its body validated (1 to
     * 100 strings): each string that could be a key of this brand is queued (its HMAC only), marked
     * when it is an active key's so that it is worked first; the same statements run whatever the
     * keys are, so neither the answer nor its timing says anything about them.
     */
    @WithTransaction
    public Uni<Integer> fromAnyone(List<String> reported) {
        Instant now = time.now();
        Set<String> hashes = new LinkedHashSet<>();
        // Only what could be a key of this brand is queued (its checksum holds); nothing else can be revoked.
        reported.stream().filter(secrets::isWellFormed).forEach(key -> hashes.add(secrets.hash(key)));
        if (hashes.isEmpty()) {
            return Uni.createFrom().item(reported.size());
        }
        return queue.activeAmong(hashes).chain(active -> {
            List<LeakReport> rows = new ArrayList<>();
            for (String hash : hashes) {
                LeakReport row = new LeakReport();
                row.id = Ids.newId(Ids.LEAK_REPORT);
                row.keyHash = hash;
                row.receivedAt = now;
                row.ofActiveKey = active.contains(hash);
                rows.add(row);
            }
            return queue.persist(rows);
        }).replaceWith(reported.size());
    }

    /** Works through the queue of public reports: each reported key that is active is revoked. */
    @Scheduled(every = "${postgate.secret-scanning.public-reports.drain-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> drainPublicReports() {
        return ScheduledPass.listed(drain(), revoked -> {
            relay.wake();
            revoked.forEach(this::receiptInBackground);
        }, LOG, "Working through leaked-key reports");
    }

    /**
     * Revokes the active keys among the oldest queued reports in one transaction, which also takes
     * those reports off the queue; the keys it revoked. They come in the order of their hashes, as a
     * GitHub report's keys are locked ({@link #revokeReported}), so the two never deadlock.
     */
    @WithTransaction
    Uni<List<Leaked>> drain() {
        return queue.takeOldest(DRAIN_BATCH).chain(hashes -> {
            List<Leaked> revoked = new ArrayList<>();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String hash : hashes) {
                chain = chain.call(() -> keys.revokeLeaked(hash, PUBLIC, null).invoke(leaked -> {
                    if (leaked.finding() == LeakFinding.REVOKED) {
                        revoked.add(leaked);
                    }
                }));
            }
            return chain.replaceWith(revoked);
        });
    }

    /**
     * SPEC section 10: a leak's revocation does not wait for propagation; its receipt is made in
     * the background (committed first: the drain's transaction has ended when this runs) and read
     * at {@code GET /api/v1/keys/{id}/propagation}.
     */
    private void receiptInBackground(Leaked leaked) {
        if (leaked.finding() == LeakFinding.REVOKED) {
            ApiKey key = leaked.key();
            // Stored by Receipts whether or not anything listens.
            receipts.await(key.id, key.seq, key.revokedAt, RECEIPT_WAIT);
        }
    }
}
