package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.keys.Scopes;

/**
 * The one API document is built from the services' own documents, is the copy key-service
 * serves, describes every REST method and route of the services, and lints clean with Redocly's
 * recommended rules. Needs the three services built (their documents are stored by their build);
 * the running services are checked by ApiContractIT and GeneratedClientIT.
 */
class ApiDocumentTest {
    static final String UPDATE = "postgate.api-document.update";
    static ApiDocument built;

    @BeforeAll
    static void build() throws IOException {
        built = ApiDocument.build();
        built.write(ApiDocument.root().resolve("integration-tests/target/openapi"));
    }

    @Test
    void theDocumentIsBuiltFromTheThreeServicesDocuments() {
        assertTrue(built.problems.isEmpty(), "The services' documents do not merge:\n  " + String.join("\n  ", built.problems));
        assertEquals("3.0.3", built.document.path("openapi").asText());
        for (String path : List.of("/api/v1/keys", "/api/v1/workspaces", "/api/v1/posts", "/api/v1/whoami", "/api/v1/openapi.json")) {
            assertTrue(built.document.path("paths").has(path), path + " is documented");
        }
        built.document.path("paths").fieldNames().forEachRemaining(path -> assertTrue(!path.startsWith("/internal"),
                path + " is internal and never in the public document"));
    }

    /** Every error code the services or the proxy answer (SPEC section 4's and the edge's) is named in the document. */
    @Test
    void everyErrorCodeAnsweredIsNamedInTheDocument() throws IOException {
        Pattern answered = Pattern.compile("(?:Exception|super)\\((?:[\\w.()]+, )?\"([A-Z][A-Z_]+)\"|\\\\?\"code\\\\?\":\\s*\\\\?\"([A-Z_]+)");
        Set<String> codes = new TreeSet<>();
        List<Path> sources = new ArrayList<>(List.of(ApiDocument.root().resolve("deploy/nginx/routes.conf")));
        sources.addAll(DeploymentFiles.mainSources(ApiDocument.root(), DeploymentFiles.MODULES));
        // The error classes also keep a code in a constant they pass on (ForbiddenException's WORKSPACE_FORBIDDEN).
        Pattern constant = Pattern.compile("final String [A-Z_]+ = \"([A-Z][A-Z_]+)\";");
        for (Path source : sources) {
            String text = Files.readString(source);
            Matcher m = answered.matcher(text);
            while (m.find()) {
                codes.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            if (source.getParent().endsWith("errors")) {
                Matcher c = constant.matcher(text);
                while (c.find()) {
                    codes.add(c.group(1));
                }
            }
        }
        assertTrue(codes.containsAll(List.of("NOT_FOUND", "URI_TOO_LONG", "KEY_LIMIT_REACHED", "VALIDATION_FAILED", "WORKSPACE_FORBIDDEN")),
                "codes found: " + codes);
        String document = built.json();
        List<String> unnamed = codes.stream().filter(code -> !Pattern.compile("\\b" + code + "\\b").matcher(document).find()).toList();
        assertEquals(List.of(), unnamed, "error codes the API answers that its document never names");
    }

    /**
     * A 413 over the workspace's storage quota (uploads; a test-mode key's image and video
     * generations) is described as such, beside the body limit. Found by review: every 413 read
     * "the body is over the limit", and the quota fields as uploads' only.
     */
    @Test
    void aQuota413IsDescribedWhereItIsAnswered() {
        for (String path : List.of("/api/v1/media", "/api/v1/media/upload", "/api/v1/images/generate", "/api/v1/ai/generate-image",
                "/api/v1/videos/generate")) {
            String described = built.document.path("paths").path(path).path("post").path("responses").path("413").path("description").asText();
            assertTrue(described.contains("storage quota") && described.contains("body is over the limit"), path + ": " + described);
        }
        String caption = built.document.path("paths").path("/api/v1/content/generate").path("post").path("responses").path("413")
                .path("description").asText();
        assertTrue(!caption.isEmpty() && !caption.contains("storage quota"), "a caption stores no file: " + caption);
    }

    /**
     * A 409 is documented where the operation answers one, with the codes it answers: a generated
     * client's conflict handling follows the document. Found by review: every write listed
     * "CONFLICT: the resource's state does not allow this", 19 of them never answering it (a key's
     * revoke, rename and delete, every workspace-service write, the creates).
     */
    @Test
    void a409IsDocumentedWhereItIsAnswered() {
        for (String operation : List.of("post /api/v1/keys/{id}/revoke", "delete /api/v1/keys/{id}", "patch /api/v1/keys/{id}",
                "post /api/v1/workspaces", "patch /api/v1/workspaces/{id}", "delete /api/v1/workspaces/{id}",
                "post /api/v1/workspaces/{workspaceId}/accounts", "delete /api/v1/workspaces/{workspaceId}/accounts/{accountId}",
                "patch /api/v1/calendar/{id}", "delete /api/v1/calendar/{id}")) {
            assertTrue(responses(operation).path("409").isMissingNode(), operation + " answers no 409: " + responses(operation).path("409"));
        }
        for (String operation : List.of("post /api/v1/posts", "post /api/v1/calendar", "post /api/v1/media", "post /api/v1/content/generate",
                "post /api/v1/images/generate")) {
            String described = responses(operation).path("409").path("description").asText();
            assertTrue(described.startsWith("IDEMPOTENCY_CONFLICT: ") && !described.contains("CONFLICT: the resource"), operation + ": " + described);
        }
        for (String operation : List.of("post /api/v1/keys/{id}/roll", "delete /api/v1/media/{id}", "patch /api/v1/posts/{id}",
                "delete /api/v1/posts/{id}", "post /api/v1/posts/{id}/publish", "post /api/v1/posts/{id}/cancel",
                "post /api/v1/posts/{id}/retry")) {
            String described = responses(operation).path("409").path("description").asText();
            assertTrue(described.startsWith("CONFLICT: ") && !described.contains("the resource's state does not allow this"),
                    operation + " says when it answers CONFLICT: " + described);
        }
        String create = responses("post /api/v1/keys").path("409").path("description").asText();
        assertTrue(create.startsWith("KEY_LIMIT_REACHED: ") && !create.contains("CONFLICT: the resource"), "a key's create: " + create);
    }

    /**
     * A media upload or download over the workspace's concurrent cap is 429 too, beside the key's
     * rate limit: a generated client's documentation says so (it said only the key's limit).
     */
    @Test
    void aTransferCapsOwn429IsDocumented() {
        for (String operation : List.of("post /api/v1/media", "post /api/v1/media/upload", "get /api/v1/media/{id}/content")) {
            String described = responses(operation).path("429").path("description").asText();
            assertTrue(described.contains("in progress") && described.contains("over the key's rate limit"), operation + ": " + described);
        }
        String listed = responses("get /api/v1/media").path("429").path("description").asText();
        assertTrue(!listed.contains("in progress"), "a listing has no such cap: " + listed);
    }

    /**
     * A download says its length, and its HEAD answers the same headers without a body: a generated
     * client reads neither a body from a HEAD nor the envelope's JSON from one.
     */
    @Test
    void aDownloadsLengthAndItsHeadAreDocumented() {
        JsonNode download = responses("get /api/v1/media/{id}/content").path("200");
        assertTrue(download.path("headers").has("Content-Length") && download.path("headers").has("ETag"), download::toString);
        JsonNode head = responses("head /api/v1/media/{id}/content");
        assertTrue(head.path("200").path("headers").has("Content-Length") && head.path("200").path("headers").has("ETag"), head::toString);
        head.forEach(answer -> assertTrue(answer.path("content").isMissingNode(), "a HEAD answer has no body: " + answer));
        assertTrue(head.has("404") && head.has("429"), head::toString);
    }

    /**
     * A download's ETag works in If-None-Match: its GET and HEAD document the header and the 304, a
     * bodiless answer that is not an error (no envelope).
     */
    @Test
    void aDownloadsConditionalRequestIsDocumented() {
        for (String operation : List.of("get /api/v1/media/{id}/content", "head /api/v1/media/{id}/content")) {
            String[] methodAndPath = operation.split(" ", 2);
            JsonNode parameters = built.document.path("paths").path(methodAndPath[1]).path(methodAndPath[0]).path("parameters");
            boolean named = false;
            for (JsonNode parameter : parameters) {
                named |= "If-None-Match".equals(parameter.path("name").asText()) && "header".equals(parameter.path("in").asText());
            }
            assertTrue(named, operation + " takes If-None-Match: " + parameters);
            JsonNode notModified = responses(operation).path("304");
            assertTrue(notModified.path("content").isMissingNode() && notModified.path("headers").has("ETag"),
                    operation + ": " + notModified);
        }
    }

    /**
     * SPEC section 4: a bad query value is 400. Found by review: every operation with a query
     * parameter besides limit and cursor was documented with a 422 it never answers (a key list's
     * status, a revoke's wait_ms, a post list's status, the calendar's from and to are 400).
     */
    @Test
    void aBadQueryValueIsDocumentedAs400AndNoOperationWithoutABodyListsA422() {
        for (String operation : List.of("get /api/v1/keys", "delete /api/v1/keys/{id}", "get /api/v1/posts", "get /api/v1/calendar")) {
            assertTrue(responses(operation).path("422").isMissingNode(), operation + " answers no 422: " + responses(operation).path("422"));
            assertTrue(responses(operation).path("400").path("description").asText().contains("a bad query value"), operation);
        }
        for (String operation : List.of("post /api/v1/keys", "patch /api/v1/keys/{id}", "post /api/v1/posts")) {
            assertTrue(responses(operation).path("422").path("description").asText().startsWith("VALIDATION_FAILED"), operation);
        }
    }

    /**
     * SPEC section 5: a revoke's {reason?}, a roll's options and a publish's {scheduled_at?} may be
     * left out, body and all. Found by review: the document made every body required, so a
     * generated client had to send {} where nothing is needed.
     */
    @Test
    void aBodyThatMayBeLeftOutIsNotRequired() {
        for (String operation : List.of("post /api/v1/keys/{id}/revoke", "post /api/v1/keys/{id}/roll", "post /api/v1/posts/{id}/publish")) {
            JsonNode body = operation(operation).path("requestBody");
            assertTrue(!body.isMissingNode() && !body.path("required").asBoolean(false), operation + ": " + body);
        }
        for (String operation : List.of("post /api/v1/keys", "patch /api/v1/keys/{id}", "post /api/v1/posts", "post /api/v1/workspaces",
                "post /api/v1/secret-scanning/github", "post /api/v1/media/upload")) {
            assertTrue(operation(operation).path("requestBody").path("required").asBoolean(false), operation + " needs its body");
        }
    }

    /**
     * SPEC section 9: the parameters a generated client needs. Found by review: the list filters
     * were documented as bare strings, so the values they take (a key's or a post's status) and the
     * calendar's date-time format appeared nowhere in the document or a generated client.
     */
    @Test
    void listFiltersNameTheValuesTheyTake() {
        assertEquals(List.of("active", "revoked", "expired"), values(query("get /api/v1/keys", "status").path("schema").path("enum")));
        assertEquals(List.of("draft", "scheduled", "publishing", "published", "partially_failed", "failed", "canceled"),
                values(query("get /api/v1/posts", "status").path("schema").path("enum")));
        for (String bound : List.of("from", "to")) {
            JsonNode parameter = query("get /api/v1/calendar", bound);
            assertEquals("date-time", parameter.path("schema").path("format").asText(), bound + ": " + parameter);
            assertTrue(parameter.path("description").asText().contains("400"), bound + ": " + parameter);
        }
    }

    private static JsonNode query(String operation, String name) {
        for (JsonNode parameter : operation(operation).path("parameters")) {
            if ("query".equals(parameter.path("in").asText()) && name.equals(parameter.path("name").asText())) {
                return parameter;
            }
        }
        throw new AssertionError(operation + " has no query parameter " + name);
    }

    private static List<String> values(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static JsonNode operation(String operation) {
        String[] methodAndPath = operation.split(" ", 2);
        JsonNode found = built.document.path("paths").path(methodAndPath[1]).path(methodAndPath[0]);
        assertTrue(!found.isMissingNode(), "the document has " + operation);
        return found;
    }

    private static JsonNode responses(String operation) {
        return operation(operation).path("responses");
    }

    @Test
    void keyServiceServesTheBuiltDocument() throws IOException {
        Path served = ApiDocument.root().resolve(ApiDocument.SERVED);
        String json = built.json();
        String yaml = built.yaml();
        boolean same = Files.isRegularFile(served.resolve("openapi.json"))
                && Files.readString(served.resolve("openapi.json")).equals(json)
                && Files.isRegularFile(served.resolve("openapi.yaml"))
                && Files.readString(served.resolve("openapi.yaml")).equals(yaml);
        if (same) {
            return;
        }
        if (Boolean.getBoolean(UPDATE)) {
            built.write(served);
            System.out.println("Rewrote " + served + ": rebuild key-service to serve it, and commit it.");
            return;
        }
        fail("key-service serves an API document that is not the one built from the services' documents ("
                + differences(served.resolve("openapi.json"), built.document) + "). The API changed: update the served copy "
                + "with\n  ./mvnw -pl integration-tests -am verify -Dtest=ApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false "
                + "-DskipITs -D" + UPDATE + "=true\nthen rebuild key-service and commit " + ApiDocument.SERVED + ".");
    }

    private static String differences(Path served, JsonNode built) throws IOException {
        if (!Files.isRegularFile(served)) {
            return served + " is missing";
        }
        JsonNode old = ApiDocument.JSON.readTree(served.toFile());
        List<String> changes = new ArrayList<>();
        for (String section : List.of("paths", "components")) {
            Set<String> names = new TreeSet<>();
            old.path(section).fieldNames().forEachRemaining(names::add);
            built.path(section).fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!old.path(section).path(name).equals(built.path(section).path(name))) {
                    changes.add(section + " " + name);
                }
            }
        }
        if (!old.path("info").equals(built.path("info")) || !old.path("tags").equals(built.path("tags"))) {
            changes.add("info or tags");
        }
        return changes.isEmpty() ? "formatting" : "changed: " + String.join(", ", changes);
    }

    // ------------------------------------------------------------------ every method documented

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final DotName TEXT = DotName.createSimple("dev.postgate.common.validation.Text");
    private static final DotName OPERATION = DotName.createSimple("org.eclipse.microprofile.openapi.annotations.Operation");
    private static final Set<String> ROUTE_RULES = Set.of("dev.postgate.common.auth.ApiKeyAccess", "dev.postgate.common.auth.DashboardAccess");

    /**
     * Every JAX-RS resource method of the three services has an operation (internal paths and
     * methods marked {@code @Operation(hidden = true)} aside), and every plain route that declares
     * an access rule (whoami) is named by a static fragment whose path is in the document.
     */
    @Test
    void everyResourceMethodAndRouteHasADocumentedOperation() throws IOException {
        Index index = index(List.of("api-common", "key-client", "key-service", "workspace-service", "publish-service"));
        JsonNode paths = built.document.path("paths");
        List<String> missing = new ArrayList<>();
        int methods = 0;
        for (ClassInfo type : index.getKnownClasses()) {
            AnnotationInstance classPath = type.declaredAnnotation(PATH);
            for (MethodInfo method : type.methods()) {
                String http = httpMethod(method);
                if (http == null) {
                    if (!hasRouteRule(method)) {
                        continue;
                    }
                    if (!routes().contains(type.name() + "#" + method.name())) {
                        missing.add(type.name() + "#" + method.name() + ": a route with an access rule that no "
                                + "META-INF/openapi.yaml fragment names in x-postgate-handler");
                    }
                    continue;
                }
                methods++;
                String path = join(classPath == null ? "" : classPath.value().asString(),
                        method.hasDeclaredAnnotation(PATH) ? method.declaredAnnotation(PATH).value().asString() : "");
                AnnotationInstance operation = method.declaredAnnotation(OPERATION);
                AnnotationValue hidden = operation == null ? null : operation.value("hidden");
                if (path.startsWith("/internal/") || hidden != null && hidden.asBoolean()) {
                    continue;
                }
                if (!paths.path(path).has(http.toLowerCase())) {
                    missing.add(http + " " + path + " (" + type.simpleName() + "#" + method.name() + ")");
                }
            }
        }
        assertTrue(methods > 40, "found the services' REST methods (" + methods + ")");
        assertTrue(missing.isEmpty(), "Not in the API document:\n  " + String.join("\n  ", missing));
    }

    /**
     * What spends credits is said twice: by the operations ({@code @Answers(spendsCredits)}: 402 and
     * X-Credits-* in the document) and by the scopes the dashboard marks as spending
     * ({@link Scopes#SPENDING}). Each spending operation needs a spending scope, and each spending
     * scope guards at least one spending operation.
     */
    @Test
    void theOperationsThatSpendCreditsNeedExactlyTheSpendingScopes() {
        Set<String> scopesOfSpendingOperations = new TreeSet<>();
        List<String> unmarked = new ArrayList<>();
        built.document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (!operation.getValue().path("responses").has("402")) {
                return;
            }
            String scope = operation.getValue().path("x-required-scope").asText("");
            scopesOfSpendingOperations.add(scope);
            if (!Scopes.SPENDING.contains(scope)) {
                unmarked.add(operation.getKey().toUpperCase() + " " + path.getKey() + " needs '" + scope + "'");
            }
        }));
        assertTrue(unmarked.isEmpty(), "Spending operations whose scope is not in Scopes.SPENDING:\n  " + String.join("\n  ", unmarked));
        assertEquals(new TreeSet<>(Scopes.SPENDING), scopesOfSpendingOperations);
    }

    /** A generated client can check lengths before sending: each request field's @Text maximum is its maxLength. */
    @Test
    void requestTextFieldsDeclareTheirMaximumLength() throws IOException {
        Index index = index(List.of("key-service", "workspace-service", "publish-service"));
        JsonNode schemas = built.document.path("components").path("schemas");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (AnnotationInstance text : index.getAnnotations(TEXT)) {
            if (text.target().kind() != AnnotationTarget.Kind.FIELD) {
                continue;
            }
            FieldInfo field = text.target().asField();
            JsonNode schema = schemas.path(field.declaringClass().simpleName());
            if (schema.isMissingNode()) {
                continue;
            }
            String property = field.name().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
            JsonNode declared = schema.path("properties").path(property).path("maxLength");
            checked++;
            if (declared.asInt(-1) != text.value("max").asInt()) {
                wrong.add(field.declaringClass().simpleName() + "." + property + ": maxLength " + declared + ", @Text max "
                        + text.value("max").asInt());
            }
        }
        assertTrue(checked >= 10, "found the request bodies' text fields (" + checked + ")");
        assertTrue(wrong.isEmpty(), "Text fields whose maxLength is not their @Text maximum:\n  " + String.join("\n  ", wrong));
    }

    private static Index index(List<String> modules) throws IOException {
        Indexer indexer = new Indexer();
        for (String module : modules) {
            Path classes = ApiDocument.root().resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), classes + " exists (build " + module + " first)");
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        indexer.index(in);
                    }
                }
            }
        }
        return indexer.complete();
    }

    private static String httpMethod(MethodInfo method) {
        for (AnnotationInstance annotation : method.declaredAnnotations()) {
            if (annotation.name().toString().startsWith("jakarta.ws.rs.") && Set.of("GET", "POST", "PUT", "PATCH", "DELETE",
                    "HEAD", "OPTIONS").contains(annotation.name().withoutPackagePrefix())) {
                return annotation.name().withoutPackagePrefix();
            }
        }
        return null;
    }

    private static boolean hasRouteRule(MethodInfo method) {
        return method.declaredAnnotations().stream().anyMatch(a -> ROUTE_RULES.contains(a.name().toString()));
    }

    /** The handlers that static fragments (key-client's META-INF/openapi.yaml) name, as Class#method. */
    private static Set<String> routes() throws IOException {
        Set<String> handlers = new TreeSet<>();
        Path fragment = ApiDocument.root().resolve("key-client/src/main/resources/META-INF/openapi.yaml");
        JsonNode paths = ApiDocument.YAML.readTree(fragment.toFile()).path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (JsonNode operation : path.getValue()) {
                String handler = operation.path("x-postgate-handler").asText();
                if (!handler.isEmpty()) {
                    handlers.add(handler);
                    assertTrue(built.document.path("paths").has(path.getKey()), path.getKey() + " (" + handler
                            + ") is in the API document");
                }
            }
        }
        return handlers;
    }

    private static String join(String classPath, String methodPath) {
        String path = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/").replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    // ------------------------------------------------------------------ Redocly

    /** Redocly's CLI (npm, pinned in src/test/resources/redocly) lints the built document on its recommended rules. */
    @Test
    void theDocumentLintsCleanWithRedoclysRecommendedRules() throws Exception {
        Path dir = DeploymentFiles.installedNpmPackages("redocly");
        try (InputStream in = ApiDocumentTest.class.getResourceAsStream("/redocly/redocly.yaml")) {
            if (in == null) {
                fail("redocly/redocly.yaml is not on the test classpath");
            }
            Files.copy(in, dir.resolve("redocly.yaml"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path document = ApiDocument.root().resolve("integration-tests/target/openapi/openapi.json");
        Result lint = run(dir, Duration.ofMinutes(2), "node", "node_modules/@redocly/cli/bin/cli.js", "lint",
                "--config", "redocly.yaml", "--format", "stylish", document.toString());
        System.out.println(lint.output);
        assertEquals(0, lint.exit, "Redocly finds errors in the API document:\n" + lint.output);
        // The summary line counts the problems ("You have 2 warnings."); Redocly's own notices (about Node.js) are not about the document.
        assertTrue(!lint.output.matches("(?s).*You have \\d+ warnings?.*") && lint.output.contains("Your API description is valid"),
                "Redocly warns about the API document:\n" + lint.output);
    }

    record Result(int exit, String output) {
    }

    static Result run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("postgate-redocly", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
