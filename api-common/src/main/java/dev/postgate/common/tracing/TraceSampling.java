package dev.postgate.common.tracing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Spans are recorded (and so exported) only where an OTLP endpoint is configured
 * ({@code POSTGATE_OTLP_ENDPOINT}); otherwise nothing is recorded and nothing is sent, while the trace
 * context still travels (traceparent on HTTP calls and Kafka records, trace ids in the logs).
 */
public class TraceSampling {

    @Produces
    @Singleton
    Sampler sampler(TracingConfig config) {
        return config.otlpEndpoint().filter(e -> !e.isBlank()).isPresent() ? Sampler.parentBased(Sampler.alwaysOn()) : Sampler.alwaysOff();
    }
}
