package dev.postgate.common.kafka;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Watches the Kafka connection, reported apart from readiness ({@code /q/health/group/kafka}, metric
 * {@code postgate_kafka_connected}): the services keep working safely without Kafka, so a
 * broker outage must not take them out of the load balancer. The scheduler asks the broker
 * every few seconds (on a worker thread, one check at a time); the health check only reads the
 * last answer, it never blocks.
 */
@ApplicationScoped
public class KafkaConnectionCheck {
    @Inject
    KafkaSettings settings;

    @Inject
    MeterRegistry registry;

    /** Made and used by one check at a time (the checks never overlap). */
    private volatile Admin admin;
    private volatile boolean connected;
    private volatile Instant checkedAt;
    private volatile String lastError = "not checked yet";

    void start(@Observes StartupEvent event) {
        registry.gauge("postgate_kafka_connected", this, c -> c.connected ? 1 : 0);
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(settings.adminProperties());
        }
        return admin;
    }

    /**
     * The admin client (and the Kafka classes it loads) is made by the first check, on a worker
     * thread: start-up and readiness do not wait for Kafka (SPEC section 1).
     */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            admin().describeCluster().nodes().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            connected = true;
            lastError = null;
        } catch (Exception e) {
            connected = false;
            lastError = e.getClass().getSimpleName();
        } finally {
            checkedAt = Instant.now();
        }
    }

    public HealthCheckResponse health() {
        var response = HealthCheckResponse.named("kafka").status(connected)
                .withData("bootstrap_servers", settings.bootstrapServers())
                .withData("checked_at", String.valueOf(checkedAt));
        if (lastError != null) {
            response.withData("error", lastError);
        }
        return response.build();
    }

    @PreDestroy
    void stop() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}
