package dev.postgate.keys.dashboard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.JwtConfig;
import dev.postgate.common.auth.JwtSigner;
import dev.postgate.common.auth.Role;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.http.BuiltFiles;
import dev.postgate.common.keys.KeyBrandConfig;
import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.Scopes;
import dev.postgate.common.validation.OneOf;
import dev.postgate.common.validation.Violations;
import dev.postgate.keys.keys.KeyViews;
import dev.postgate.keys.keys.KeysConfig;
import dev.postgate.keys.keys.ScopeExpansion;

/**
 * The developer dashboard (SPEC section 5: {@code GET /dashboard}): one page (dashboard-page/index.html,
 * served only here, at /dashboard and /dashboard/), its assets under {@code /dashboard/}
 * (META-INF/resources/dashboard), and two small helpers for it: its settings
 * and, only where configured, a development sign-in.
 */
@Cancellable(false)
@Path("/dashboard")
@Tag(name = "Dashboard")
public class DashboardResource {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Inject
    Validator validator;

    @Inject
    DashboardConfig config;

    @Inject
    KeyBrandConfig keys;

    @Inject
    KeysConfig keyRules;

    @Inject
    JwtConfig jwt;

    @Inject
    ProviderSignIn providerSignIn;

    // The page is kept outside META-INF/resources: a static copy at /dashboard/ would go out without these headers.
    private final byte[] page = BuiltFiles.read("/dashboard-page/index.html");

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The developer dashboard page")
    public Response page() {
        return Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    @GET
    @Path("/config")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the page needs to know: the identity provider to sign in with, whether development sign-in is on, the key brand, "
            + "what the key dialogs offer, and the largest page a list takes", hidden = true)
    public Map<String, Object> settings() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dev_sign_in", config.devSignIn());
        data.put("brand", keys.brand());
        providerSignIn.pageSettings().ifPresent(signIn -> data.put("sign_in", signIn));
        data.put("keys", keyOptions());
        data.put("page_limit", PageRequest.MAX_LIMIT);
        return data;
    }

    /**
     * What the key dialogs offer, taken from the rules the key API applies, so that the page never
     * holds a copy: the scopes, the presets, which scopes spend credits, the name's length, the
     * longest roll overlap, and the pattern secret scanners find the keys with.
     */
    private Map<String, Object> keyOptions() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("scopes", Scopes.ALL);
        options.put("presets", ScopeExpansion.presets());
        options.put("spending", new TreeSet<>(Scopes.SPENDING));
        options.put("max_name", KeyViews.MAX_NAME);
        options.put("max_roll_overlap_seconds", keyRules.maxRollOverlap().toSeconds());
        options.put("pattern", KeyFormat.scanningPattern(keys.brand()));
        return options;
    }

    public record DevSignIn(@NotNull(message = ORG_RULE) @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = ORG_RULE) String orgId,
            @NotNull(message = "is required") @OneOf(Role.class) String group) {
    }

    static final String ORG_RULE = "is 1 to 64 letters, digits, '_' or '-'";

    @POST
    @Path("/dev-sign-in")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Development only: a dashboard token for any organisation (404 unless enabled)", hidden = true)
    public RestResponse<Map<String, Object>> devSignIn(DevSignIn request) {
        if (!config.devSignIn() || config.devSigningKeyLocation().isEmpty()) {
            throw NotFoundException.path("/dashboard/dev-sign-in");
        }
        // Validated here, not with @Valid: a request to a disabled dev sign-in is 404 whatever its body.
        DevSignIn signIn = request == null ? new DevSignIn(null, null) : request;
        Set<ConstraintViolation<DevSignIn>> violations = validator.validate(signIn);
        if (!violations.isEmpty()) {
            throw Violations.invalid(violations);
        }
        String org = signIn.orgId();
        String group = signIn.group();
        // The system clock: the token is checked by every service's JwtVerifier on its own clock.
        Instant now = Instant.now();
        String token = JwtSigner.sign(jwt, "user_dev_" + group, Set.of(group), Map.of("org_id", org), now, config.devTokenLifetime(),
                config.devSigningKeyLocation().get());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", token);
        data.put("expires_at", now.plus(config.devTokenLifetime()).toString());
        // A token is a secret: kept by no cache, as every answer (HttpEdge).
        return RestResponse.ResponseBuilder.ok(data).build();
    }
}
