package dev.postgate.common.kafka;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Watches the Kafka connection, reported apart from readiness ({@code /q/health/group/kafka}, metric
 * {@code postgate_kafka_connected}): the services keep working safely without Kafka, so a
 * broker outage must not take them out of the load balancer. A background thread asks the
 * broker every few seconds; the health check only reads the last answer, it never blocks.
 */
@ApplicationScoped
public class KafkaConnectionCheck {
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "postgate-kafka-probe");
        t.setDaemon(true);
        return t;
    });

    @Inject
    KafkaSettings settings;

    @Inject
    MeterRegistry registry;

    /** Made and used on the probe thread only. */
    private Admin admin;
    private volatile boolean connected;
    private volatile Instant checkedAt;
    private volatile String lastError = "not checked yet";

    void start(@Observes StartupEvent event) {
        registry.gauge("postgate_kafka_connected", this, c -> c.connected ? 1 : 0);
        // The admin client (and the Kafka classes it loads) is made on the probe thread: start-up
        // and readiness do not wait for Kafka (SPEC section 1).
        probe.scheduleWithFixedDelay(this::check, 0, 5, TimeUnit.SECONDS);
    }

    private Admin admin() {
        if (admin == null) {
            int timeoutMs = (int) settings.requestTimeout().toMillis();
            java.util.Properties props = settings.clientProperties();
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
            props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            admin = Admin.create(props);
        }
        return admin;
    }

    private void check() {
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

    public boolean connected() {
        return connected;
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
        probe.shutdownNow();
        try {
            probe.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}
