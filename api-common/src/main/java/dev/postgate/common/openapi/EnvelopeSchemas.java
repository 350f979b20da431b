package dev.postgate.common.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.http.Headers;

/**
 * The parts every operation shares, as SPEC section 4 defines them and
 * {@link dev.postgate.common.http.Envelopes} and the error hierarchy build them: the meta of
 * every answer, the error objects per status with their code-specific fields, the envelopes
 * around them, and the credentials of SPEC section 3.
 */
final class EnvelopeSchemas {
    static final String META = "ResponseMeta";
    static final String LIST_META = "ListMeta";
    static final String FIELD_ERROR = "FieldError";

    /** Error object schema per status; statuses not listed use {@link #ERROR}. */
    static final String ERROR = "Error";
    static final Map<Integer, String> ERROR_BY_STATUS = Map.of(
            400, "ValidationError",
            401, "UnauthorizedError",
            402, "InsufficientCreditsError",
            403, "ForbiddenError",
            413, "PayloadTooLargeError",
            422, "ValidationError");

    static final String API_KEY_BEARER = "ApiKeyBearer";
    static final String API_KEY_HEADER = "ApiKeyHeader";
    static final String DASHBOARD_TOKEN = "DashboardToken";

    private EnvelopeSchemas() {
    }

    static String errorSchema(int status) {
        return ERROR_BY_STATUS.getOrDefault(status, ERROR);
    }

    static String errorEnvelope(int status) {
        return errorSchema(status) + "Response";
    }

    static Schema ref(String name) {
        return OASFactory.createSchema().ref(name);
    }

    static Schema type(SchemaType type) {
        return OASFactory.createSchema().addType(type);
    }

    static Schema text(String description) {
        return type(SchemaType.STRING).description(description);
    }

    static Schema whole(String description) {
        return type(SchemaType.INTEGER).format("int64").description(description);
    }

    static Schema enumeration(String description, List<String> values) {
        Schema schema = text(description);
        values.forEach(schema::addEnumeration);
        return schema;
    }

    static Schema object(Map<String, Schema> properties, List<String> required) {
        Schema schema = type(SchemaType.OBJECT).properties(new LinkedHashMap<>(properties));
        schema.setRequired(new ArrayList<>(required));
        return schema;
    }

    /** The envelope around {@code data}: {@code {data, error: null, meta}}. */
    static Schema success(Schema data, boolean list) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("data", data);
        properties.put("error", type(SchemaType.OBJECT).addType(SchemaType.NULL)
                .description("Always null in a successful answer."));
        properties.put("meta", ref(list ? LIST_META : META));
        return object(properties, List.of("data", "error", "meta"))
                .description("The SPEC envelope of a successful answer" + (list ? " with one page of a list." : "."));
    }

    static void addTo(Components components) {
        Map<String, Schema> meta = new LinkedHashMap<>();
        meta.put("request_id", text("The X-Request-Id of this answer: the caller's (1-64 of [A-Za-z0-9._-]) or a new req_… id."));
        meta.put("timestamp", type(SchemaType.STRING).format("date-time").description("When the answer was made (UTC, to the second)."));
        components.addSchema(META, object(meta, List.of("request_id", "timestamp")).description("What every answer carries."));

        Map<String, Schema> listMeta = new LinkedHashMap<>(meta);
        listMeta.put("next_cursor", type(SchemaType.STRING).addType(SchemaType.NULL)
                .description("Pass as ?cursor= for the next page; null on the last page."));
        components.addSchema(LIST_META, object(listMeta, List.of("request_id", "timestamp", "next_cursor"))
                .description("The meta of a list answer: one page, ?limit= (1-" + PageRequest.MAX_LIMIT + ", default "
                        + PageRequest.DEFAULT_LIMIT + ") items."));

        Map<String, Schema> field = new LinkedHashMap<>();
        field.put("field", text("The offending field (snake_case, dotted for nested fields), query parameter or header."));
        field.put("message", text("What is wrong with it."));
        components.addSchema(FIELD_ERROR, object(field, List.of("field", "message")));

        components.addSchema(ERROR, error("An error without code-specific fields: NOT_FOUND (404), METHOD_NOT_ALLOWED (405), "
                + "CONFLICT, KEY_LIMIT_REACHED, IDEMPOTENCY_CONFLICT (409), UNSUPPORTED_MEDIA_TYPE (415), RATE_LIMITED (429), "
                + "UNAVAILABLE (503). Any call may also get NOT_ACCEPTABLE (406: its Accept header refuses JSON), "
                + "REQUEST_TIMEOUT (408: its body stalled), URI_TOO_LONG (414) or HEADERS_TOO_LARGE (431) from the proxy, "
                + "BAD_REQUEST (another 4xx the HTTP layer refuses a request with), and INTERNAL (500), which is a bug.",
                List.of(), Map.of(), List.of()));
        components.addSchema("ValidationError", error("400 (the request cannot be read: malformed JSON, wrong types, bad query "
                + "values; or WORKSPACE_REQUIRED) and 422 (well-formed but invalid values), naming the fields.",
                List.of("VALIDATION_FAILED", "WORKSPACE_REQUIRED"),
                Map.of("fields", type(SchemaType.ARRAY).items(ref(FIELD_ERROR)).description("Each invalid field and why.")),
                List.of()));
        List<String> reasons = new ArrayList<>();
        for (UnauthorizedException.Reason reason : UnauthorizedException.Reason.values()) {
            reasons.add(reason.wire());
        }
        components.addSchema("UnauthorizedError", error("No credential, or one that is malformed, unknown, revoked or expired.",
                List.of("UNAUTHORIZED"), Map.of("reason", enumeration("Why the credential was refused.", reasons)),
                List.of("reason")));
        components.addSchema("InsufficientCreditsError", error("The workspace's balance cannot pay for this call; nothing was spent.",
                List.of("INSUFFICIENT_CREDITS"), Map.of(
                        "required", whole("The credits this call needs."),
                        "balance", whole("The workspace's balance.")),
                List.of("required", "balance")));
        components.addSchema("ForbiddenError", error("INSUFFICIENT_SCOPE (the key lacks required_scope), WORKSPACE_FORBIDDEN (the "
                + "workspace is unknown, deleted, another organisation's or not among the key's workspaces) or FORBIDDEN (a "
                + "dashboard token without the needed group).",
                List.of("INSUFFICIENT_SCOPE", "WORKSPACE_FORBIDDEN", "FORBIDDEN"),
                Map.of("required_scope", text("With INSUFFICIENT_SCOPE: the scope this operation needs.")), List.of()));
        components.addSchema("PayloadTooLargeError", error("The body is over the limit; an upload, or a test-mode key's image or "
                + "video generation, over the workspace's storage quota also names the quota and what is used.",
                List.of("PAYLOAD_TOO_LARGE"), Map.of(
                        "quota", whole("The workspace's storage quota in bytes (a file over it)."),
                        "used", whole("The bytes the workspace already stores (a file over the quota).")),
                List.of()));
        for (String error : List.of(ERROR, "ValidationError", "UnauthorizedError", "InsufficientCreditsError", "ForbiddenError",
                "PayloadTooLargeError")) {
            Map<String, Schema> envelope = new LinkedHashMap<>();
            envelope.put("data", type(SchemaType.OBJECT).addType(SchemaType.NULL).description("Always null in an error answer."));
            envelope.put("error", ref(error));
            envelope.put("meta", ref(META));
            components.addSchema(error + "Response", object(envelope, List.of("data", "error", "meta"))
                    .description("The SPEC envelope of an error answer."));
        }

        components.addSecurityScheme(API_KEY_BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("API key")
                .description("An API key ({brand}_live_sk_… or {brand}_test_sk_…) as 'Authorization: Bearer <key>'."));
        components.addSecurityScheme(API_KEY_HEADER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name(Headers.API_KEY)
                .description("The same API key as 'x-api-key: <key>' (both headers with different values: 401 malformed)."));
        components.addSecurityScheme(DASHBOARD_TOKEN, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("A dashboard JWT (RS256; iss and aud 'postgate', claim org_id, group 'member' to read or "
                        + "'admin' to change) as 'Authorization: Bearer <jwt>'."));
    }

    private static Schema error(String description, List<String> codes, Map<String, Schema> extra, List<String> extraRequired) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("code", codes.isEmpty() ? text("The error code (upper snake case).")
                : enumeration("The error code (upper snake case).", codes));
        properties.put("status", type(SchemaType.INTEGER).format("int32").description("The HTTP status, repeated."));
        properties.put("message", text("What went wrong and what to do, for people. Never carries a key or token."));
        properties.putAll(new java.util.TreeMap<>(extra));
        List<String> required = new ArrayList<>(List.of("code", "status", "message"));
        required.addAll(extraRequired);
        return object(properties, required).description(description);
    }

    /** The component a {@code $ref} names ({@code #/components/schemas/KeyView} → {@code KeyView}). */
    static String refName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
