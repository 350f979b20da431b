package dev.postgate.common.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import dev.postgate.common.errors.RetryAfter;
import dev.postgate.common.errors.SimpleErrors;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The keys one kind of token is verified with, as the parser that holds them. A PEM file or
 * resource is read by the parser itself. An identity provider's JWKS URL is fetched off the
 * threads that verify (they are event loops, and the provider may be slow or down): at start and
 * on a schedule ({@link #refresh}, by {@link JwtVerifier}), and in the background, at most every
 * {@link #MIN_GAP}, when a token does not pass (the provider may have rotated its keys) or none are
 * in yet ({@link #refreshSoon}). Until the first fetch succeeds, tokens of this kind are 503.
 */
final class VerificationKeys {
    private static final Logger LOG = Logger.getLogger(VerificationKeys.class);
    /** How long one fetch of the JWKS may take. */
    static final Duration FETCH_TIME_LIMIT = Duration.ofSeconds(5);
    /** The least time between two fetches asked for by tokens (not by the schedule). */
    static final Duration MIN_GAP = Duration.ofSeconds(30);

    private final String kind;
    private final URI jwksUrl;
    private final Function<String, DefaultJWTParser> parserOfKeys;
    private final HttpClient http;
    private final AtomicReference<Instant> lastAsked = new AtomicReference<>(Instant.EPOCH);
    private volatile DefaultJWTParser parser;

    /**
     * @param location a PEM location (the parser reads it) or a JWKS URL ({@code http:} or {@code https:})
     * @param parserOfLocation a parser of the keys at a PEM location
     * @param parserOfKeys a parser of the keys of a JWKS document
     */
    VerificationKeys(String kind, String location, Function<String, DefaultJWTParser> parserOfLocation,
            Function<String, DefaultJWTParser> parserOfKeys) {
        this.kind = kind;
        this.parserOfKeys = parserOfKeys;
        if (isUrl(location)) {
            this.jwksUrl = URI.create(location);
            this.http = HttpClient.newBuilder().connectTimeout(FETCH_TIME_LIMIT).followRedirects(HttpClient.Redirect.NORMAL).build();
        } else {
            this.jwksUrl = null;
            this.http = null;
            this.parser = parserOfLocation.apply(location);
        }
    }

    static boolean isUrl(String location) {
        return location.startsWith("https://") || location.startsWith("http://");
    }

    boolean remote() {
        return jwksUrl != null;
    }

    /** The parser of the keys in hand; 503 UNAVAILABLE (and a fetch in the background) while a JWKS URL's are not in yet. */
    DefaultJWTParser parser() {
        DefaultJWTParser current = parser;
        if (current == null) {
            refreshSoon();
            RetryAfter wait = new RetryAfter(1);
            throw SimpleErrors.unavailable("The identity provider's keys for " + kind + " tokens are not loaded yet. "
                    + wait.sentence() + ".", wait);
        }
        return current;
    }

    /**
     * Fetches a JWKS URL's keys now, on the calling thread (start-up's or the scheduler's, never a
     * request's). A failed fetch keeps the keys in hand. Nothing to do for a PEM location.
     */
    void refresh() {
        if (jwksUrl == null) {
            return;
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(jwksUrl).timeout(FETCH_TIME_LIMIT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                LOG.warnf("The JWKS of %s tokens (%s) answered %d; the keys in hand are kept", kind, jwksUrl, answer.statusCode());
                return;
            }
            if (new JsonWebKeySet(answer.body()).getJsonWebKeys().isEmpty()) {
                LOG.warnf("The JWKS of %s tokens (%s) holds no key; the keys in hand are kept", kind, jwksUrl);
                return;
            }
            parser = parserOfKeys.apply(answer.body());
        } catch (IOException | JoseException | RuntimeException e) {
            LOG.warnf("The JWKS of %s tokens (%s) could not be fetched; the keys in hand are kept: %s", kind, jwksUrl, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fetch on a worker thread, unless one was asked for within {@link #MIN_GAP}. */
    void refreshSoon() {
        if (jwksUrl == null) {
            return;
        }
        Instant last = lastAsked.get();
        Instant now = Instant.now();
        if (now.isBefore(last.plus(MIN_GAP)) || !lastAsked.compareAndSet(last, now)) {
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(this::refresh);
    }
}
