package dev.postgate.common.openapi;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.openapitools.jackson.nullable.JsonNullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import dev.postgate.common.api.Answers;
import dev.postgate.common.api.CreatedLocations;
import dev.postgate.common.api.Identified;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.QueryOneOf;
import dev.postgate.common.api.ResourceMethods;
import dev.postgate.common.auth.DeclaredAccess;
import dev.postgate.common.errors.RetryAfter;
import dev.postgate.common.http.Headers;
import dev.postgate.common.idempotency.IdempotencyFilters;
import dev.postgate.common.idempotency.IdempotencyStore;
import dev.postgate.common.validation.OneOf;
import dev.postgate.common.validation.Text;
import dev.postgate.common.wire.WireNames;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Makes each service's OpenAPI document true to the wire (SPEC section 9), from the code next
 * to the resources: for every operation it finds the resource method (the operation id is
 * {@code package.Class_method}; a route documented by a static fragment names its handler with
 * {@code x-postgate-handler: package.Class#method}), reads who may call it from the same
 * annotations the authentication filter enforces ({@link DeclaredAccess}) and what it answers
 * ({@link Answers}), and writes: the SPEC envelope around every JSON body (data, error, meta;
 * Page results as arrays with {@code meta.next_cursor}), every error status the SPEC's checks
 * can answer with its codes, the headers ({@code X-Request-Id} on every answer,
 * {@code X-Workspace-Id}, {@code Idempotency-Key}, {@code X-RateLimit-*}, {@code X-Credits-*},
 * {@code Retry-After}, {@code Location} on a create, and those a method declares on its success or 304 with
 * {@code @APIResponse(headers = …)}), a 304 a conditional GET or HEAD declares (no body, no envelope), HEAD
 * answers without bodies, the credentials per operation, {@code x-required-scope}, and the
 * properties of each view as Jackson writes them (always present unless
 * {@code @JsonInclude(NON_NULL)}, null unless primitive). Internal paths are removed.
 * <p>
 * Runs when the document is built. Operations it has already written (from another service's
 * document merged into key-service's) are kept as they are; any other operation whose method
 * cannot be found fails the build.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {
    public static final String HANDLER = "x-postgate-handler";
    static final String REQUIRED_SCOPE = "x-required-scope";
    static final String DASHBOARD_ROLE = "x-dashboard-role";

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** Schema name to the Java class it describes, for answers and for request bodies. */
    private final Map<String, Class<?>> answerClasses = new LinkedHashMap<>();
    private final Map<String, Class<?>> requestClasses = new LinkedHashMap<>();
    /** Operation ("POST /path") to the path its created resource is read at ({@link Answers#location}). */
    private final Map<String, String> locations = new LinkedHashMap<>();

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        Components components = api.getComponents();
        EnvelopeSchemas.addTo(components);
        List<String> problems = new ArrayList<>();
        if (api.getPaths() != null) {
            for (String path : new ArrayList<>(api.getPaths().getPathItems().keySet())) {
                PathItem item = api.getPaths().getPathItem(path);
                if (path.startsWith("/internal/")) {
                    api.getPaths().removePathItem(path);
                    continue;
                }
                for (Map.Entry<PathItem.HttpMethod, Operation> entry : new ArrayList<>(item.getOperations().entrySet())) {
                    Operation operation = entry.getValue();
                    Method method = handler(operation, entry.getKey());
                    if (method == null) {
                        if (!documented(operation)) {
                            problems.add(entry.getKey() + " " + path + " (operation id " + operation.getOperationId()
                                    + "): no resource method found for it");
                        }
                        continue;
                    }
                    DeclaredAccess access = DeclaredAccess.of(method, method.getDeclaringClass());
                    if (access.service()) {
                        item.setOperation(entry.getKey(), null);
                        continue;
                    }
                    try {
                        document(components, path, entry.getKey(), operation, method, access);
                    } catch (IllegalStateException e) {
                        problems.add(entry.getKey() + " " + path + ": " + e.getMessage());
                    }
                }
                if (item.getOperations().isEmpty()) {
                    api.getPaths().removePathItem(path);
                }
            }
        }
        locations.forEach((operation, location) -> {
            PathItem read = api.getPaths().getPathItem(location);
            if (read == null || read.getGET() == null) {
                problems.add(operation + ": its Location " + location + " is not a path of this document that answers GET");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The API document cannot describe these operations:\n  "
                    + String.join("\n  ", problems));
        }
        Set<String> shaped = new HashSet<>();
        answerClasses.forEach((name, type) -> shape(components, name, type, true, shaped));
        requestClasses.forEach((name, type) -> shape(components, name, type, false, shaped));
        dedupeTags(api);
        UnusedComponents.remove(api);
    }

    // ------------------------------------------------------------------ finding the method

    private Method handler(Operation operation, PathItem.HttpMethod httpMethod) {
        Object handler = operation.getExtensions() == null ? null : operation.getExtensions().get(HANDLER);
        String className;
        String methodName;
        if (handler != null) {
            String[] parts = handler.toString().split("#", 2);
            className = parts[0];
            methodName = parts.length > 1 ? parts[1] : "";
        } else {
            String id = operation.getOperationId();
            int split = id == null ? -1 : id.lastIndexOf('_');
            if (split < 0 || id.indexOf('.') < 0) {
                return null;
            }
            className = id.substring(0, split);
            methodName = id.substring(split + 1);
        }
        Class<?> type;
        try {
            type = Class.forName(className, false, loader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        List<Method> candidates = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(methodName) && (handler != null || httpMethod.name().equals(ResourceMethods.httpMethod(method)))) {
                candidates.add(method);
            }
        }
        if (candidates.size() != 1) {
            throw new IllegalStateException(httpMethod + " " + className + "#" + methodName + ": " + candidates.size()
                    + " methods match (the document needs exactly one)");
        }
        if (handler != null) {
            operation.removeExtension(HANDLER);
        } else {
            operation.setOperationId(operationId(type, methodName));
        }
        return candidates.get(0);
    }

    private ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ApiDocumentFilter.class.getClassLoader();
    }

    /** {@code KeyResource.create} is {@code keyCreate}, {@code PostResource.publish} is {@code postPublish}. */
    static String operationId(Class<?> type, String method) {
        String stem = type.getSimpleName().replaceFirst("(Resource|Route)$", "");
        return Character.toLowerCase(stem.charAt(0)) + stem.substring(1) + Character.toUpperCase(method.charAt(0))
                + method.substring(1);
    }

    /** Written by this filter already: every answer names its request id. */
    private static boolean documented(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null || responses.getAPIResponses() == null || responses.getAPIResponses().isEmpty()) {
            return false;
        }
        return responses.getAPIResponses().values().stream()
                .allMatch(r -> r.getHeaders() != null && r.getHeaders().containsKey(Headers.REQUEST_ID));
    }

    // ------------------------------------------------------------------ one operation

    private void document(Components components, String path, PathItem.HttpMethod httpMethod, Operation operation,
            Method method, DeclaredAccess access) {
        Answers answers = method.getAnnotation(Answers.class);
        Type body = unwrap(method.getGenericReturnType());
        Class<?> bodyClass = rawClass(body);
        boolean post = httpMethod == PathItem.HttpMethod.POST;
        if (answers == null && post && (RestResponse.class.isAssignableFrom(rawClass(unwrapUni(method.getGenericReturnType())))
                || Response.class.isAssignableFrom(bodyClass))) {
            throw new IllegalStateException(method.getDeclaringClass().getSimpleName() + "#" + method.getName()
                    + " builds its own response: state its success status with @Answers (201 for a create, 202 when work "
                    + "continues in the background)");
        }
        int success = answers == null ? 200 : answers.value();
        boolean credits = answers != null && answers.spendsCredits();
        String location = answers == null ? "" : answers.location();
        boolean answersResource = Identified.class.isAssignableFrom(bodyClass) || Response.class.isAssignableFrom(bodyClass);
        if (!location.isEmpty()) {
            if (success != 201 || !location.startsWith("/api/") || !location.contains(CreatedLocations.ID) || !answersResource) {
                throw new IllegalStateException("@Answers(location) is for a 201 answering an Identified view, with a path "
                        + "under /api/ holding " + CreatedLocations.ID);
            }
            locations.put(httpMethod + " " + path, location);
        } else if (success == 201 && answersResource) {
            throw new IllegalStateException(method.getDeclaringClass().getSimpleName() + "#" + method.getName()
                    + " creates a resource: state where it is read with @Answers(location = …)");
        }

        security(operation, access);
        parameters(operation, access, post);
        queryValues(operation, method);
        boolean hasBody = requestBody(operation, method);
        boolean writes = post || httpMethod == PathItem.HttpMethod.PATCH || httpMethod == PathItem.HttpMethod.PUT;
        boolean hasPathParameters = path.contains("{");
        boolean idempotent = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && Headers.IDEMPOTENCY_KEY.equalsIgnoreCase(p.getName()));

        APIResponses generated = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        APIResponse ok = null;
        Map<String, APIResponse> declared = new LinkedHashMap<>();
        APIResponse notModified = null;
        if (generated.getAPIResponses() != null) {
            for (Map.Entry<String, APIResponse> e : generated.getAPIResponses().entrySet()) {
                if (e.getKey().startsWith("2") && ok == null) {
                    ok = e.getValue();
                } else if (e.getKey().equals("304")) {
                    notModified = e.getValue();
                } else if (!e.getKey().startsWith("2")) {
                    declared.put(e.getKey(), e.getValue());
                }
            }
        }
        APIResponses responses = OASFactory.createAPIResponses();
        APIResponse created = successResponse(components, operation, method, ok, success, bodyClass, body, access, credits);
        if (!location.isEmpty()) {
            created.addHeader(HttpHeaders.LOCATION, header("Where the created resource is read: " + location + ".", true)
                    .schema(EnvelopeSchemas.type(SchemaType.STRING).format("uri-reference")));
        }
        responses.addAPIResponse(String.valueOf(success), created);
        if (notModified != null) {
            // A conditional GET's or HEAD's 304: no body (not an error, so no envelope), the headers it declares and every answer's.
            if (httpMethod != PathItem.HttpMethod.GET && httpMethod != PathItem.HttpMethod.HEAD) {
                throw new IllegalStateException("304 is a conditional GET's or HEAD's answer, not a " + httpMethod + "'s");
            }
            APIResponse answer = OASFactory.createAPIResponse().description(notModified.getDescription());
            declaredHeaders(notModified, answer);
            answer.addHeader(Headers.REQUEST_ID, requestIdHeader());
            if (access.apiKey()) {
                rateLimitHeaders(answer, access.dashboard() == null);
            }
            responses.addAPIResponse("304", answer);
        }

        Map<Integer, List<String>> errors = new java.util.TreeMap<>();
        List<String> badRequest = new ArrayList<>(List.of("VALIDATION_FAILED: the request cannot be read (malformed JSON, "
                + "wrong types, a bad query value or header)"));
        if (access.workspaceRequired()) {
            badRequest.add("WORKSPACE_REQUIRED: no X-Workspace-Id");
        }
        errors.put(400, badRequest);
        if (!access.open()) {
            errors.put(401, List.of("UNAUTHORIZED: " + credentialWords(access) + " (error.reason)"));
        }
        if (credits) {
            errors.put(402, List.of("INSUFFICIENT_CREDITS: the workspace cannot pay (error.required, error.balance); "
                    + "nothing was spent"));
        }
        List<String> forbidden = new ArrayList<>();
        if (access.needsScope()) {
            forbidden.add("INSUFFICIENT_SCOPE: the key lacks '" + access.scope() + "' (error.required_scope)");
        }
        if (access.workspaceScoped()) {
            forbidden.add("WORKSPACE_FORBIDDEN: the key may not use the workspace of X-Workspace-Id");
        }
        if (access.dashboard() != null) {
            forbidden.add("FORBIDDEN: the dashboard token lacks the '" + access.dashboard().wire() + "' group");
        }
        if (!forbidden.isEmpty()) {
            errors.put(403, forbidden);
        }
        if (hasPathParameters) {
            errors.put(404, List.of("NOT_FOUND: absent, or another organisation's or workspace's"));
        }
        if ((writes || httpMethod == PathItem.HttpMethod.DELETE) && !access.open()) {
            // Only the 409s the operation answers: its own (Answers.conflicts) and, with an Idempotency-Key, a reused one.
            List<String> conflicts = new ArrayList<>(answers == null ? List.of() : List.of(answers.conflicts()));
            if (idempotent) {
                conflicts.add("IDEMPOTENCY_CONFLICT: this Idempotency-Key was used for another request"
                        + (access.apiKey() ? ", or its first request still runs" : ""));
            }
            if (!conflicts.isEmpty()) {
                errors.put(409, conflicts);
            }
        }
        if (hasBody || writes) {
            List<String> tooLarge = new ArrayList<>(answers == null ? List.of() : List.of(answers.tooLarge()));
            tooLarge.add("PAYLOAD_TOO_LARGE: the body is over the limit");
            errors.put(413, tooLarge);
            errors.put(415, List.of("UNSUPPORTED_MEDIA_TYPE: the body is not of an accepted type"));
        }
        // A bad query value is 400 (SPEC section 4), so only a body's values can be 422.
        if (hasBody) {
            errors.put(422, List.of("VALIDATION_FAILED: well-formed but invalid values (error.fields)"));
        }
        if (access.apiKey()) {
            List<String> rateLimited = new ArrayList<>(answers == null ? List.of() : List.of(answers.rateLimited()));
            rateLimited.add("RATE_LIMITED: over the key's rate limit, or too many failed key verifications from "
                    + "this address (Retry-After)");
            errors.put(429, rateLimited);
        }
        errors.put(503, List.of("UNAVAILABLE: a dependency is down and the request cannot be served safely"));
        for (String code : declared.keySet()) {
            try {
                errors.putIfAbsent(Integer.parseInt(code), List.of());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("response '" + code + "' is not a status");
            }
        }
        errors.forEach((status, codes) -> responses.addAPIResponse(String.valueOf(status),
                errorResponse(status, codes, declared.get(String.valueOf(status)), access)));
        if (httpMethod == PathItem.HttpMethod.HEAD) {
            // The headers its GET would answer, without a body (RFC 9110, HEAD).
            responses.getAPIResponses().values().forEach(response -> response.setContent(null));
        }
        operation.setResponses(responses);
        describe(operation, access, credits);
    }

    private static String credentialWords(DeclaredAccess access) {
        if (access.apiKey() && access.dashboard() != null) {
            return "no credential, or the API key or dashboard token is malformed, unknown, revoked or expired";
        }
        return access.apiKey() ? "no API key, or it is malformed, unknown, revoked or expired"
                : access.dashboard() != null ? "no dashboard token, or it is malformed, not valid or expired"
                : "no credential, or it is not valid";
    }

    private static void security(Operation operation, DeclaredAccess access) {
        List<SecurityRequirement> security = new ArrayList<>();
        if (access.apiKey()) {
            security.add(OASFactory.createSecurityRequirement().addScheme(EnvelopeSchemas.API_KEY_BEARER));
            security.add(OASFactory.createSecurityRequirement().addScheme(EnvelopeSchemas.API_KEY_HEADER));
            operation.addExtension(REQUIRED_SCOPE, access.scope());
        }
        if (access.dashboard() != null) {
            security.add(OASFactory.createSecurityRequirement().addScheme(EnvelopeSchemas.DASHBOARD_TOKEN));
            operation.addExtension(DASHBOARD_ROLE, access.dashboard().wire());
        }
        if (security.isEmpty()) {
            // An empty requirement: this operation takes no credential.
            security.add(OASFactory.createSecurityRequirement());
        }
        operation.setSecurity(security);
    }

    private static void parameters(Operation operation, DeclaredAccess access, boolean post) {
        List<Parameter> parameters = operation.getParameters() == null ? new ArrayList<>() : new ArrayList<>(operation.getParameters());
        for (Parameter parameter : parameters) {
            if (parameter.getIn() == Parameter.In.HEADER && Headers.IDEMPOTENCY_KEY.equalsIgnoreCase(parameter.getName())) {
                parameter.setSchema(idempotencyKeySchema());
                parameter.setDescription(access.apiKey() ? idempotencyDescription() : MANAGEMENT_IDEMPOTENCY);
            }
        }
        if (access.workspaceScoped() && parameters.stream().noneMatch(p -> Headers.WORKSPACE.equalsIgnoreCase(p.getName()))) {
            parameters.add(OASFactory.createParameter().name(Headers.WORKSPACE).in(Parameter.In.HEADER)
                    .required(access.workspaceRequired()).schema(EnvelopeSchemas.type(SchemaType.STRING))
                    .description(access.workspaceRequired()
                            ? "The workspace this call acts in (ws_…). Without it: 400 WORKSPACE_REQUIRED; one the key "
                                    + "may not use (or not a well-formed id): 403 WORKSPACE_FORBIDDEN."
                            : "Narrows the answer to one workspace (ws_…); without it, every workspace the key may use. "
                                    + "One the key may not use: 403 WORKSPACE_FORBIDDEN."));
        }
        if (access.apiKey() && post && parameters.stream().noneMatch(p -> Headers.IDEMPOTENCY_KEY.equalsIgnoreCase(p.getName()))) {
            parameters.add(OASFactory.createParameter().name(Headers.IDEMPOTENCY_KEY).in(Parameter.In.HEADER).required(false)
                    .schema(idempotencyKeySchema()).description(idempotencyDescription()));
        }
        operation.setParameters(parameters.isEmpty() ? null : parameters);
    }

    /** A query parameter declared {@link QueryOneOf} takes the wire names of its enum. */
    private static void queryValues(Operation operation, Method method) {
        for (java.lang.reflect.Parameter declared : method.getParameters()) {
            QueryOneOf oneOf = declared.getAnnotation(QueryOneOf.class);
            if (oneOf == null) {
                continue;
            }
            RestQuery query = declared.getAnnotation(RestQuery.class);
            String name = query == null || query.value().isEmpty() ? declared.getName() : query.value();
            Parameter parameter = operation.getParameters() == null ? null : operation.getParameters().stream()
                    .filter(p -> p.getIn() == Parameter.In.QUERY && name.equals(p.getName())).findFirst().orElse(null);
            if (parameter == null) {
                throw new IllegalStateException(method.getDeclaringClass().getSimpleName() + "#" + method.getName()
                        + ": @QueryOneOf on " + name + ", which is not a documented query parameter (@RestQuery)");
            }
            parameter.setSchema(EnvelopeSchemas.type(SchemaType.STRING).enumeration(new ArrayList<>(WireNames.wires(oneOf.value()))));
            if (parameter.getDescription() == null) {
                parameter.setDescription("Only those whose " + name + " is " + WireNames.alternatives(oneOf.value())
                        + "; another value is 400 VALIDATION_FAILED.");
            }
        }
    }

    private static Schema idempotencyKeySchema() {
        return EnvelopeSchemas.type(SchemaType.STRING).minLength(1).maxLength(IdempotencyFilters.MAX_KEY);
    }

    /**
     * A management call (dashboard JWT) that takes an Idempotency-Key itself: SPEC section 4 stores
     * no management answers, so its key makes the change once instead of replaying an answer.
     */
    private static final String MANAGEMENT_IDEMPOTENCY = "1 to " + IdempotencyFilters.MAX_KEY + " characters. The change is "
            + "made once for a key: a repeat changes nothing and answers with the state now (management calls store no "
            + "answers, so nothing is replayed); the same key with another body is 409 IDEMPOTENCY_CONFLICT.";

    private static String idempotencyDescription() {
        return "1 to " + IdempotencyFilters.MAX_KEY + " characters. The first answer (status and body) is kept for " + IdempotencyStore.RETENTION.toHours() + " hours and replayed, with "
                + "Idempotent-Replayed: true, for a repeat with the same method, path, X-Workspace-Id and body; another "
                + "request with the same key, or a repeat while the first still runs, is 409 IDEMPOTENCY_CONFLICT. Credits "
                + "are spent once.";
    }

    /** Notes the class of a typed request body (every body is a record); true when the operation takes a body. */
    private boolean requestBody(Operation operation, Method method) {
        RequestBody body = operation.getRequestBody();
        if (body == null) {
            return false;
        }
        Class<?> bodyType = null;
        for (java.lang.reflect.Parameter parameter : method.getParameters()) {
            if (isBody(parameter) && !parameter.getType().getName().startsWith("io.vertx.")) {
                bodyType = parameter.getType();
                // A validated body without @NotNull may be left out (a revoke's reason, a publish's scheduled_at).
                if (parameter.isAnnotationPresent(Valid.class) && !parameter.isAnnotationPresent(NotNull.class)) {
                    body.setRequired(false);
                }
            }
        }
        if (bodyType == null || body.getContent() == null) {
            return true;
        }
        for (MediaType media : body.getContent().getMediaTypes().values()) {
            if (media.getSchema() != null && media.getSchema().getRef() != null) {
                requestClasses.putIfAbsent(EnvelopeSchemas.refName(media.getSchema().getRef()), bodyType);
            }
        }
        return true;
    }

    /** A parameter with no JAX-RS or RESTEasy binding (validation annotations aside) is the request body. */
    private static boolean isBody(java.lang.reflect.Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (!name.startsWith("jakarta.validation.")) {
                return false;
            }
        }
        return true;
    }

    private APIResponse successResponse(Components components, Operation operation, Method method, APIResponse generated,
            int status, Class<?> bodyClass, Type body, DeclaredAccess access, boolean credits) {
        APIResponse response = OASFactory.createAPIResponse();
        String description = generated == null || generated.getDescription() == null || "OK".equals(generated.getDescription())
                ? switch (status) {
                    case 201 -> "Created.";
                    case 202 -> "Accepted: the work continues in the background.";
                    default -> "OK.";
                }
                : generated.getDescription();
        response.setDescription(description);
        Content content = generated == null ? null : generated.getContent();
        MediaType json = content == null || content.getMediaTypes() == null ? null
                : content.getMediaTypes().entrySet().stream().filter(e -> e.getKey().contains("json")).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
        // A JSON body declared with @APIResponse as a named schema (a method answering a raw Response) is enveloped too.
        boolean declaredJson = json != null && json.getSchema() != null && json.getSchema().getRef() != null;
        boolean raw = !declaredJson && (content != null && content.getMediaTypes() != null && !content.getMediaTypes().isEmpty()
                && json == null || byte[].class.equals(bodyClass) || InputStream.class.isAssignableFrom(bodyClass)
                || Response.class.isAssignableFrom(bodyClass) || bodyClass.getName().equals("io.vertx.core.buffer.Buffer"));
        if (raw) {
            // Not enveloped (SPEC section 4: downloads, pages, the document itself).
            Content rawContent = OASFactory.createContent();
            if (content != null && content.getMediaTypes() != null) {
                // A raw JSON body keeps the schema its method declares (GitHub's feedback array); else any object.
                content.getMediaTypes().forEach((type, media) -> rawContent.addMediaType(type, OASFactory.createMediaType()
                        .schema(type.contains("json") ? (declaresShape(media.getSchema()) ? media.getSchema() : EnvelopeSchemas.type(SchemaType.OBJECT))
                                : type.startsWith("text/") || type.contains("yaml") ? EnvelopeSchemas.type(SchemaType.STRING)
                                : EnvelopeSchemas.type(SchemaType.STRING).format("binary"))));
            }
            response.setContent(rawContent);
        } else {
            Schema generatedSchema = json == null ? null : json.getSchema();
            boolean page = Page.class.equals(bodyClass);
            Schema data;
            String dataName = null;
            if (generatedSchema == null) {
                if (bodyClass != void.class && bodyClass != Void.class) {
                    // The scanner describes the return type only when no success response is declared.
                    throw new IllegalStateException(method.getDeclaringClass().getSimpleName() + "#" + method.getName()
                            + " answers a " + bodyClass.getSimpleName() + " but its success response has no content "
                            + "(an @APIResponse annotation hides it: describe only error responses there, or give the content)");
                }
                data = EnvelopeSchemas.type(SchemaType.OBJECT).addType(SchemaType.NULL).description("Always null.");
            } else if (page) {
                Schema pageSchema = generatedSchema.getRef() == null ? generatedSchema
                        : components.getSchemas().get(EnvelopeSchemas.refName(generatedSchema.getRef()));
                data = pageSchema.getProperties().get("items");
                if (data.getItems() != null && data.getItems().getRef() != null) {
                    dataName = EnvelopeSchemas.refName(data.getItems().getRef());
                }
            } else {
                data = generatedSchema;
                dataName = generatedSchema.getRef() == null ? null : EnvelopeSchemas.refName(generatedSchema.getRef());
            }
            Class<?> element = page ? rawClass(typeArgument(body)) : bodyClass;
            if (dataName != null) {
                Class<?> mapped = element;
                if (mapped == Object.class || mapped == void.class || mapped == Void.class || Response.class.isAssignableFrom(mapped)) {
                    mapped = nestedClass(method.getDeclaringClass(), dataName);
                }
                if (mapped != null) {
                    answerClasses.putIfAbsent(dataName, mapped);
                }
            }
            String envelope = dataName != null ? dataName + (page ? "List" : "Response")
                    : Character.toUpperCase(operation.getOperationId().charAt(0)) + operation.getOperationId().substring(1) + "Response";
            if (components.getSchemas() == null || !components.getSchemas().containsKey(envelope)) {
                components.addSchema(envelope, EnvelopeSchemas.success(data, page));
            }
            response.setContent(OASFactory.createContent().addMediaType("application/json",
                    OASFactory.createMediaType().schema(EnvelopeSchemas.ref(envelope))));
        }
        declaredHeaders(generated, response);
        response.addHeader(Headers.REQUEST_ID, requestIdHeader());
        if (access.apiKey()) {
            rateLimitHeaders(response, access.dashboard() == null);
        }
        if (credits) {
            response.addHeader(Headers.CREDITS_COST, header("The credits this call spent (0 when nothing was charged).",
                    true));
            response.addHeader(Headers.CREDITS_REMAINING, header("The workspace's balance after this call (left out when "
                    + "it is not known).", false));
        }
        return response;
    }

    /** The headers a method declares on an answer with {@code @APIResponse(headers = …)} (a download's ETag and length). */
    private static void declaredHeaders(APIResponse declared, APIResponse answer) {
        if (declared != null && declared.getHeaders() != null) {
            declared.getHeaders().forEach(answer::addHeader);
        }
    }

    private static boolean declaresShape(Schema schema) {
        return schema != null && (schema.getType() != null || schema.getRef() != null);
    }

    private static APIResponse errorResponse(int status, List<String> codes, APIResponse declared, DeclaredAccess access) {
        String description = declared != null && declared.getDescription() != null ? declared.getDescription()
                : codes.isEmpty() ? "An error." : String.join("; ", codes) + ".";
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(EnvelopeSchemas.ref(EnvelopeSchemas.errorEnvelope(status)))));
        response.addHeader(Headers.REQUEST_ID, requestIdHeader());
        if (access.apiKey() && status != 401 && status != 503) {
            rateLimitHeaders(response, false);
        }
        if (status == 429 || status == 503) {
            response.addHeader(RetryAfter.HEADER, header("Seconds to wait before retrying.", status == 429));
        }
        return response;
    }

    private static Header requestIdHeader() {
        return header("The caller's X-Request-Id when it is 1-64 of [A-Za-z0-9._-], else a new req_… id; the same "
                + "value is meta.request_id.", true).schema(EnvelopeSchemas.type(SchemaType.STRING));
    }

    private static void rateLimitHeaders(APIResponse response, boolean required) {
        response.addHeader(Headers.RATE_LIMIT_LIMIT, header("Requests a minute this key may make on this service "
                + "instance (the limit is per key and per instance).", required));
        response.addHeader(Headers.RATE_LIMIT_REMAINING, header("Requests left in the current minute.", required));
        response.addHeader(Headers.RATE_LIMIT_RESET, header("When the minute ends (epoch seconds).", required));
    }

    private static Header header(String description, boolean required) {
        return OASFactory.createHeader().description(description).required(required)
                .schema(EnvelopeSchemas.type(SchemaType.INTEGER).format("int64"));
    }

    private static void describe(Operation operation, DeclaredAccess access, boolean credits) {
        List<String> lines = new ArrayList<>();
        if (operation.getDescription() != null && !operation.getDescription().isBlank()) {
            lines.add(operation.getDescription().strip());
        }
        List<String> who = new ArrayList<>();
        if (access.apiKey()) {
            who.add(access.needsScope() ? "an API key with the scope `" + access.scope() + "`" : "any valid API key");
        }
        if (access.dashboard() != null) {
            who.add("a dashboard token of the `" + access.dashboard().wire() + "` group");
        }
        lines.add("Credential: " + (who.isEmpty() ? "none." : String.join(", or ", who) + "."));
        if (access.workspaceRequired()) {
            lines.add("Workspace: X-Workspace-Id is required.");
        } else if (access.workspaceScoped()) {
            lines.add("Workspace: X-Workspace-Id is optional.");
        }
        if (credits) {
            lines.add("Spends credits (see X-Credits-Cost); 402 when the workspace cannot pay.");
        }
        operation.setDescription(String.join("\n\n", lines));
    }

    // ------------------------------------------------------------------ properties as Jackson writes them

    /**
     * Every property of a view is in the JSON (null when unset) unless the component is
     * {@code @JsonInclude(NON_NULL)}; primitives are never null. Request bodies: a field Bean
     * Validation requires is required and not null, any other may be left out or null; a PATCH
     * field ({@code JsonNullable}) may be left out, and is null only where its {@code @Schema} says so.
     */
    private void shape(Components components, String name, Class<?> type, boolean answer, Set<String> shaped) {
        if (!shaped.add(name) || components.getSchemas() == null) {
            return;
        }
        Schema schema = components.getSchemas().get(name);
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        Map<String, Schema> properties = new LinkedHashMap<>(schema.getProperties());
        for (Map.Entry<String, Schema> property : properties.entrySet()) {
            Member member = member(type, property.getKey());
            if (member == null) {
                continue;
            }
            Class<?> raw = rawClass(member.type());
            boolean primitive = raw.isPrimitive();
            boolean omittedWhenNull = member.omittedWhenNull();
            if (answer && (primitive || !omittedWhenNull)) {
                schema.addRequired(property.getKey());
            }
            Schema value = property.getValue();
            if (!answer && member.text() != null) {
                // JSON Schema counts a string's length in characters (code points), as @Text does.
                value.setMaxLength(member.text().max());
            }
            if (!answer && member.oneOf() != null) {
                value.setEnumeration(new ArrayList<>(WireNames.wires(member.oneOf().value())));
            }
            boolean required = schema.getRequired() != null && schema.getRequired().contains(property.getKey());
            if (!answer && member.itemPattern() != null && value.getItems() != null && value.getItems().getPattern() == null) {
                value.getItems().setPattern(member.itemPattern());
            }
            if (!answer && raw == JsonNullable.class) {
                // A PATCH field: never required, null only where its @Schema says so.
                if (required) {
                    schema.removeRequired(property.getKey());
                    if (schema.getRequired().isEmpty()) {
                        schema.setRequired(null);
                    }
                }
            } else if (!primitive && !omittedWhenNull && (answer || !required)) {
                property.setValue(nullable(components, value));
            }
            Schema items = value.getItems();
            String nested = value.getRef() != null ? EnvelopeSchemas.refName(value.getRef())
                    : items != null && items.getRef() != null ? EnvelopeSchemas.refName(items.getRef()) : null;
            if (nested != null) {
                Class<?> nestedType = items != null ? rawClass(typeArgument(member.type())) : raw;
                shape(components, nested, nestedType, answer, shaped);
            }
        }
        schema.setProperties(properties);
    }

    private static Schema nullable(Components components, Schema value) {
        if (value.getRef() != null) {
            Schema target = components.getSchemas().get(EnvelopeSchemas.refName(value.getRef()));
            if (target != null && target.getProperties() == null && target.getType() != null
                    && !target.getType().contains(SchemaType.OBJECT)) {
                // A scalar (Instant…): inline it so that it can be null.
                Schema copy = EnvelopeSchemas.type(target.getType().get(0)).format(target.getFormat())
                        .description(target.getDescription());
                if (target.getExamples() != null) {
                    copy.setExamples(new ArrayList<>(target.getExamples()));
                }
                return copy.addType(SchemaType.NULL);
            }
            return EnvelopeSchemas.type(SchemaType.OBJECT).addType(SchemaType.NULL).addAllOf(value);
        }
        if (value.getType() != null && !value.getType().isEmpty() && !value.getType().contains(SchemaType.NULL)) {
            value.addType(SchemaType.NULL);
        }
        return value;
    }

    /** A property's Java type, whether Jackson leaves it out when null, and its {@link Text} and {@link OneOf} rules (or null). */
    private record Member(Type type, boolean omittedWhenNull, Text text, OneOf oneOf, String itemPattern) {
    }

    /**
     * The {@code @Pattern} of a PATCH list field's elements ({@code JsonNullable<List<@Pattern String>>}),
     * which the generated schema cannot see through the JsonNullable; null for any other field.
     */
    private static String patchItemPattern(AnnotatedType type) {
        if (type instanceof AnnotatedParameterizedType field && rawClass(field.getType()) == JsonNullable.class
                && field.getAnnotatedActualTypeArguments()[0] instanceof AnnotatedParameterizedType list
                && list.getAnnotatedActualTypeArguments().length == 1) {
            jakarta.validation.constraints.Pattern pattern = list.getAnnotatedActualTypeArguments()[0]
                    .getAnnotation(jakarta.validation.constraints.Pattern.class);
            return pattern == null ? null : pattern.regexp();
        }
        return null;
    }

    private static Member member(Class<?> type, String property) {
        boolean classNonNull = nonNull(type.getAnnotation(JsonInclude.class));
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (SNAKE_CASE.translate(component.getName()).equals(property)) {
                    boolean nonNull = classNonNull || nonNull(component.getAnnotation(JsonInclude.class))
                            || nonNull(component.getAccessor().getAnnotation(JsonInclude.class));
                    return new Member(component.getGenericType(), nonNull, component.getAccessor().getAnnotation(Text.class),
                            component.getAccessor().getAnnotation(OneOf.class), patchItemPattern(component.getAnnotatedType()));
                }
            }
            return null;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (SNAKE_CASE.translate(field.getName()).equals(property)) {
                    return new Member(field.getGenericType(), classNonNull || nonNull(field.getAnnotation(JsonInclude.class)),
                            field.getAnnotation(Text.class), field.getAnnotation(OneOf.class), patchItemPattern(field.getAnnotatedType()));
                }
            }
        }
        return null;
    }

    private static boolean nonNull(JsonInclude include) {
        return include != null && include.value() != JsonInclude.Include.ALWAYS && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    // ------------------------------------------------------------------ helpers

    private static Class<?> nestedClass(Class<?> owner, String simpleName) {
        for (Class<?> nested : owner.getDeclaredClasses()) {
            if (nested.getSimpleName().equals(simpleName)) {
                return nested;
            }
        }
        return null;
    }

    /** Uni&lt;RestResponse&lt;T&gt;&gt; is T; Page&lt;T&gt; stays. */
    static Type unwrap(Type type) {
        Type unwrapped = unwrapUni(type);
        Class<?> raw = rawClass(unwrapped);
        if (RestResponse.class.isAssignableFrom(raw) || Optional.class.equals(raw)) {
            return unwrap(typeArgument(unwrapped));
        }
        return unwrapped;
    }

    private static Type unwrapUni(Type type) {
        Class<?> raw = rawClass(type);
        if (raw.getName().equals("io.smallrye.mutiny.Uni") || java.util.concurrent.CompletionStage.class.isAssignableFrom(raw)) {
            return unwrapUni(typeArgument(type));
        }
        return type;
    }

    static Type typeArgument(Type type) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof java.lang.reflect.WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    /** One tag per name (the one with a description first), and only the tags an operation uses. */
    private static void dedupeTags(OpenAPI api) {
        if (api.getTags() == null) {
            return;
        }
        Set<String> used = new HashSet<>();
        if (api.getPaths() != null) {
            api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                    .forEach(op -> used.addAll(op.getTags() == null ? List.of() : op.getTags())));
        }
        Map<String, Tag> byName = new LinkedHashMap<>();
        for (Tag tag : api.getTags()) {
            if (!used.contains(tag.getName())) {
                continue;
            }
            Tag seen = byName.get(tag.getName());
            if (seen == null || seen.getDescription() == null && tag.getDescription() != null) {
                byName.put(tag.getName(), tag);
            }
        }
        api.setTags(new ArrayList<>(byName.values()));
    }
}
