package dev.postgate.keys.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.wire.WireName;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** The audit log of key changes: written in the change's transaction, read per key. */
@ApplicationScoped
public class AuditLog implements PanacheRepositoryBase<AuditEntry, String> {
    public enum Action implements WireName { CREATE, RENAME, ROLL, REVOKE, EXPIRE }

    @Inject
    ObjectMapper mapper;

    /** An entry's details as stored, for a caller that writes the entry in its own SQL statement. */
    public String detailsJson(Map<String, Object> details) {
        try {
            return mapper.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details cannot be serialised", e);
        }
    }

    public Uni<Void> record(ApiKey key, Action action, String actor, String requestId, Instant at, Map<String, Object> details) {
        AuditEntry entry = new AuditEntry();
        entry.id = Ids.newId(Ids.AUDIT_ENTRY);
        entry.keyId = key.id;
        entry.orgId = key.orgId;
        entry.action = action.wire();
        entry.actor = actor;
        entry.requestId = requestId;
        entry.occurredAt = at;
        try {
            entry.details = detailsJson(details);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        return persist(entry).replaceWithVoid();
    }

    public Uni<List<AuditEntry>> page(String keyId, PageRequest page) {
        return page.newestFirst(this, "keyId = :key", Parameters.with("key", keyId));
    }

    /** An audit entry as the API shows it. */
    public record AuditView(String id, String keyId, String action, String actor, String requestId, Instant occurredAt,
            Object details) {
    }

    public AuditView view(AuditEntry entry) {
        Object details;
        try {
            details = mapper.readValue(entry.details, Map.class);
        } catch (JsonProcessingException e) {
            details = Map.of();
        }
        return new AuditView(entry.id, entry.keyId, entry.action, entry.actor, entry.requestId, entry.occurredAt, details);
    }
}
