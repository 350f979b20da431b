package dev.postgate.common.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The trace context in Kafka record headers (W3C traceparent, through the configured propagators),
 * for the plain Kafka clients the services use: a record is sent in a producer span, child of the
 * current context, and handled in a consumer span, child of the context it carries.
 */
@ApplicationScoped
public class KafkaTracing {
    private static final TextMapSetter<Headers> SETTER = (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    };
    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String name) {
            Header header = headers == null ? null : headers.lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    @Inject
    OpenTelemetry telemetry;

    private Tracer tracer() {
        return telemetry.getTracer("dev.postgate.kafka");
    }

    /**
     * Starts the producer span of {@code record} and puts its context in the record's headers; end it
     * when sent. Keyless records (heartbeats, several a second) are not traced.
     */
    public Span sending(ProducerRecord<String, String> record) {
        if (record.key() == null) {
            return Span.getInvalid();
        }
        Span span = tracer().spanBuilder(record.topic() + " publish").setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", record.topic())
                .startSpan();
        telemetry.getPropagators().getTextMapPropagator().inject(Context.current().with(span), record.headers(), SETTER);
        return span;
    }

    /** Starts the consumer span of {@code record}, child of the context its headers carry; end it when handled. */
    public Span receiving(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return Span.getInvalid();
        }
        Context parent = telemetry.getPropagators().getTextMapPropagator().extract(Context.root(), record.headers(), GETTER);
        return tracer().spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", record.topic())
                .startSpan();
    }
}
