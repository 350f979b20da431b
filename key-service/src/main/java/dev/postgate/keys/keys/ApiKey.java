package dev.postgate.keys.keys;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.keys.KeyStatus;

/** An API key as key-service stores it: never the key, only its HMAC and display hints. */
@Entity
@Table(name = "api_keys")
public class ApiKey {
    @Id
    public String id;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false, unique = true)
    public String keyHash;

    @Column(nullable = false)
    public String start;

    @Column(nullable = false)
    public String last4;

    @Column(nullable = false)
    public String scopes;

    public String workspaceIds;

    @Column(nullable = false)
    public String mode;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    public Instant expiresAt;

    public Instant revokedAt;

    public Instant lastUsedAt;

    public String rolledTo;

    @Column(nullable = false)
    public long seq;

    @Column(nullable = false)
    public String createdBy;

    /** Who reported the key as leaked ({@code github-secret-scanning}, {@code public-report}); null if nobody did. */
    public String leakReportedBy;

    /** Where the leaked key was found (a URL), when the report says. */
    public String leakFoundAt;

    /**
     * The key changed at {@code now}: every change grows its seq, which the consuming services'
     * caches order the key's events by.
     */
    public void changed(Instant now) {
        updatedAt = now;
        seq++;
    }

    /** The key revoked at {@code now}. */
    public void markRevoked(Instant now) {
        keyStatus(KeyStatus.REVOKED);
        revokedAt = now;
        changed(now);
    }

    /** The key expired at {@code now} (its expiry, or a roll's overlap ended early). */
    public void markExpired(Instant now) {
        keyStatus(KeyStatus.EXPIRED);
        changed(now);
    }

    /** The status a caller sees: an active key past its expiry is expired even before the expiry job marks it. */
    public KeyStatus statusAt(Instant now) {
        KeyStatus stored = keyStatus();
        if (stored == KeyStatus.ACTIVE && KeyStatus.hasExpired(expiresAt, now)) {
            return KeyStatus.EXPIRED;
        }
        return stored;
    }

    public KeyStatus keyStatus() {
        return KeyStatus.of(status);
    }

    public void keyStatus(KeyStatus next) {
        status = next.wire();
    }

    public Set<String> scopeSet() {
        return new TreeSet<>(Arrays.asList(scopes.split(" ")));
    }

    public void scopeSet(Set<String> canonical) {
        scopes = String.join(" ", new TreeSet<>(canonical));
    }

    /** Null means every workspace of the organisation. */
    public List<String> workspaceList() {
        return workspaceIds == null ? null : List.of(workspaceIds.split(" "));
    }

    public void workspaceList(List<String> ids) {
        workspaceIds = ids == null ? null : String.join(" ", ids);
    }

    public KeyMode keyMode() {
        return KeyMode.fromWire(mode);
    }
}
