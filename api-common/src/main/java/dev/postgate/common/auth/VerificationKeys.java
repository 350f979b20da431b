package dev.postgate.common.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import dev.postgate.common.errors.RetryAfter;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.http.PublishedDocuments;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The keys one kind of token is verified with, as the parser that holds them. A PEM file or
 * resource is read by the parser itself. An identity provider's JWKS URL is fetched off the
 * threads that verify (they are event loops, and the provider may be slow or down): at start and
 * on a schedule ({@link #refresh}, by {@link JwtVerifier}), and in the background, at most every
 * {@link #MIN_GAP}, when a token names a key not in hand (the provider may have rotated its keys),
 * does not pass, or none are in yet ({@link #refreshSoon}). Until the first fetch succeeds, and
 * while a token names a key not in hand, tokens of this kind are 503 with Retry-After.
 */
final class VerificationKeys {
    private static final Logger LOG = Logger.getLogger(VerificationKeys.class);
    /** How long one fetch of the JWKS may take. */
    static final Duration FETCH_TIME_LIMIT = Duration.ofSeconds(5);
    /** The least time between two fetches asked for by tokens (not by the schedule). */
    static final Duration MIN_GAP = Duration.ofSeconds(5);
    /** The largest JWKS document read. */
    static final int MAX_DOCUMENT_BYTES = 1 << 20;

    private final String kind;
    private final URI jwksUrl;
    private final Function<String, DefaultJWTParser> parserOfKeys;
    private final AtomicReference<Instant> lastAsked = new AtomicReference<>(Instant.EPOCH);
    /** The keys in hand: null until a JWKS URL's first fetch. One value, so a request never sees one fetch's parser with another's ids. */
    private volatile InHand inHand;

    /**
     * A parser of the keys in hand, and the ids ({@code kid}) of them all: null for a PEM, or when
     * one of a JWKS's keys has no id (the parser then picks the key itself, and no token's key can
     * be told missing).
     */
    private record InHand(DefaultJWTParser parser, Set<String> keyIds) {
    }

    /**
     * @param location a PEM location (the parser reads it) or a JWKS URL ({@code http:} or {@code https:})
     * @param parserOfLocation a parser of the keys at a PEM location
     * @param parserOfKeys a parser of the keys of a JWKS document
     */
    VerificationKeys(String kind, String location, Function<String, DefaultJWTParser> parserOfLocation,
            Function<String, DefaultJWTParser> parserOfKeys) {
        this.kind = kind;
        this.parserOfKeys = parserOfKeys;
        if (PublishedDocuments.isUrl(location)) {
            this.jwksUrl = URI.create(location);
        } else {
            this.jwksUrl = null;
            this.inHand = new InHand(parserOfLocation.apply(location), null);
        }
    }

    /**
     * The parser to verify {@code token} with. 503 UNAVAILABLE with Retry-After, and a fetch in the
     * background, while a JWKS URL's keys are not in yet, and for a token that names a key
     * ({@code kid}) the keys in hand do not hold: the identity provider has rotated its keys since
     * they were fetched (or the token is forged), so it cannot be checked now; not 401, which a
     * dashboard takes as "sign in again".
     */
    DefaultJWTParser parserFor(String token) {
        InHand current = inHand;
        if (current == null) {
            refreshSoon();
            RetryAfter wait = new RetryAfter(1);
            throw SimpleErrors.unavailable("The identity provider's keys for " + kind + " tokens are not loaded yet. "
                    + wait.sentence() + ".", wait);
        }
        if (current.keyIds() != null) {
            String keyId = keyIdOf(token);
            if (keyId != null && !current.keyIds().contains(keyId)) {
                refreshSoon();
                RetryAfter wait = new RetryAfter(MIN_GAP.toSeconds());
                throw SimpleErrors.unavailable("The " + kind + " token is signed with a key the identity provider had not published "
                        + "when its keys were last fetched; they are fetched again. " + wait.sentence() + ".", wait);
            }
        }
        return current.parser();
    }

    /**
     * Fetches a JWKS URL's keys now, on the calling thread (start-up's, the scheduler's or a
     * worker's, never a request's), whole within {@link #FETCH_TIME_LIMIT} and at most
     * {@link #MAX_DOCUMENT_BYTES}. One fetch at a time, so the keys in hand are those of the last
     * fetch to start. A failed fetch keeps the keys in hand. Nothing to do for a PEM location.
     */
    synchronized void refresh() {
        if (jwksUrl == null) {
            return;
        }
        try {
            String jwks = new String(PublishedDocuments.fetch(jwksUrl, FETCH_TIME_LIMIT, MAX_DOCUMENT_BYTES, true), StandardCharsets.UTF_8);
            Set<String> ids = new HashSet<>();
            List<JsonWebKey> keys = new JsonWebKeySet(jwks).getJsonWebKeys();
            if (keys.isEmpty()) {
                LOG.warnf("The JWKS of %s tokens (%s) holds no key; the keys in hand are kept", kind, jwksUrl);
                return;
            }
            keys.forEach(key -> ids.add(key.getKeyId()));
            inHand = new InHand(parserOfKeys.apply(jwks), ids.contains(null) ? null : Set.copyOf(ids));
        } catch (IOException | JoseException | RuntimeException e) {
            LOG.warnf("The JWKS of %s tokens (%s) could not be fetched; the keys in hand are kept: %s", kind, jwksUrl, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code kid} of a compact JWS's header; null when there is none or the header cannot be read (the parser refuses it). */
    private static String keyIdOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            Object kid = JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8))
                    .get("kid");
            return kid instanceof String text ? text : null;
        } catch (IllegalArgumentException | JoseException e) {
            return null;
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
