package dev.postgate.common.tracing;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.postgate.common.keys.KeyRedaction;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A key is never logged (SPEC section 2), and a trace collector is a log: what looks like a key
 * in a span's text attributes is redacted as an error message is ({@link KeyRedaction}). A
 * careless client puts one in a request's target (the secret pasted where a key's id goes, an
 * {@code ?api_key=} parameter), which the HTTP instrumentation records, decoded, as the server
 * span's {@code url.path} and {@code url.query} when the span starts; here, right after (text and
 * lists of text, such as captured headers if they were ever turned on).
 * Quarkus adds every {@link SpanProcessor} bean to the tracer provider.
 */
@ApplicationScoped
public class KeysOutOfSpans implements SpanProcessor {

    @Override
    @SuppressWarnings("unchecked")
    public void onStart(Context parentContext, ReadWriteSpan span) {
        List<AttributeKey<String>> keyLike = new ArrayList<>();
        List<AttributeKey<List<String>>> listsWithAKey = new ArrayList<>();
        span.getAttributes().forEach((key, value) -> {
            if (key.getType() == AttributeType.STRING && KeyRedaction.looksLikeAKey((String) value)) {
                keyLike.add((AttributeKey<String>) key);
            } else if (key.getType() == AttributeType.STRING_ARRAY && ((List<String>) value).stream().anyMatch(KeyRedaction::looksLikeAKey)) {
                listsWithAKey.add((AttributeKey<List<String>>) key);
            }
        });
        keyLike.forEach(key -> span.setAttribute(key, KeyRedaction.redact(span.getAttribute(key))));
        listsWithAKey.forEach(key -> span.setAttribute(key, span.getAttribute(key).stream().map(KeyRedaction::redact).toList()));
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // Nothing: an ended span can no longer be changed, and attributes added after the start are the instrumentation's
        // own (a route template, a status code), not what the client sent.
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
