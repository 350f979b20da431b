package dev.postgate.keyclient;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.postgate.common.kafka.KeysTopic;
import dev.postgate.common.kafka.WorkspacesTopic;
import io.smallrye.health.api.HealthGroup;

/**
 * The consumer of key and workspace events in {@code /q/health/group/kafka} (not readiness: while
 * the stream is stale the service still answers safely, verifying every request), with how long
 * ago each topic last brought a record and how many partitions of each it reads.
 */
@ApplicationScoped
@HealthGroup("kafka")
public class KeyAndWorkspaceEventsHealth implements HealthCheck {
    @Inject
    KeyAndWorkspaceEvents listener;

    @Override
    public HealthCheckResponse call() {
        KeyAndWorkspaceEvents.State state = listener.state();
        var response = HealthCheckResponse.named("key-and-workspace-events-consumer")
                .status(state == KeyAndWorkspaceEvents.State.LIVE)
                .withData("state", state.wire())
                .withData("last_key_record_age_ms", listener.lastHeartbeatAge(KeysTopic.NAME).toMillis())
                .withData("last_workspace_record_age_ms", listener.lastHeartbeatAge(WorkspacesTopic.NAME).toMillis())
                .withData("key_partitions", listener.partitions(KeysTopic.NAME))
                .withData("workspace_partitions", listener.partitions(WorkspacesTopic.NAME));
        if (listener.lastError() != null) {
            response.withData("error", listener.lastError());
        }
        return response.build();
    }
}
