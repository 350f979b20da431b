package dev.postgate.common.auth;

import jakarta.enterprise.context.RequestScoped;

import dev.postgate.common.keys.KeyMode;

/**
 * Who is calling, set once by the authentication filter: a dashboard user (JWT), a service
 * (service JWT) or an API key, with the organisation every query is confined to and, for
 * workspace-scoped key calls, the workspace of {@code X-Workspace-Id}.
 */
@RequestScoped
public class Caller {
    public enum Kind { DASHBOARD, SERVICE, API_KEY }

    private Kind kind;
    private String subject;
    private String orgId;
    private KeyIdentity key;
    private String workspaceId;
    private String requestId;

    public void requestId(String requestId) {
        this.requestId = requestId;
    }

    /** The request id of this call (X-Request-Id), recorded in audit entries. */
    public String requestId() {
        return requestId;
    }

    public void dashboard(String userId, String orgId) {
        this.kind = Kind.DASHBOARD;
        this.subject = userId;
        this.orgId = orgId;
    }

    public void service(String serviceName) {
        this.kind = Kind.SERVICE;
        this.subject = serviceName;
    }

    public void apiKey(KeyIdentity key, String workspaceId) {
        this.kind = Kind.API_KEY;
        this.subject = key.id();
        this.orgId = key.orgId();
        this.key = key;
        this.workspaceId = workspaceId;
    }

    public boolean isApiKey() {
        return kind == Kind.API_KEY;
    }

    /** The organisation of the caller (null for services). */
    public String orgId() {
        return orgId;
    }

    /** The actor of what Postgate does on its own, when no caller asked (a key or a reservation running out). */
    public static final String SYSTEM_ACTOR = "system";

    /** The user id, key id or service name: who is recorded as the actor of a change. */
    public String actor() {
        return kind == Kind.API_KEY ? "key:" + subject : kind == Kind.SERVICE ? "service:" + subject : "user:" + subject;
    }

    public KeyIdentity key() {
        return key;
    }

    /** Whether the caller works in test mode (a test key): sandbox connectors and providers, no credits spent. */
    public boolean testMode() {
        return key != null && key.mode() == KeyMode.TEST;
    }

    /** The workspace of {@code X-Workspace-Id}, already checked against the key (null when none was sent). */
    public String workspaceId() {
        return workspaceId;
    }
}
