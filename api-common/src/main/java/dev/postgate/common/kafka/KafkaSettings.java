package dev.postgate.common.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Where the broker is, how to authenticate to it and how long to wait for it; shared by every
 * Kafka client of a service (producers, consumers, the health check). Every client starts from
 * {@link #clientProperties()}, so authentication is configured in one place.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaSettings {
    @WithName("bootstrap.servers")
    String bootstrapServers();

    /** How long a call to the broker may take before it counts as down. */
    @WithName("postgate.request-timeout")
    @WithDefault("5s")
    Duration requestTimeout();

    /** PLAINTEXT (the local stack, on loopback), or SASL_PLAINTEXT / SASL_SSL where the broker authenticates clients. */
    @WithName("security.protocol")
    String securityProtocol();

    /** SCRAM-SHA-512 (or another SASL mechanism) when the protocol is SASL_*. */
    @WithName("sasl.mechanism")
    Optional<String> saslMechanism();

    /** The JAAS line with the service's own credentials, from a secret; never logged. */
    @WithName("sasl.jaas.config")
    Optional<String> saslJaasConfig();

    /** The connection part of every client's configuration: bootstrap servers and authentication. */
    default Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol());
        saslMechanism().ifPresent(mechanism -> props.put(SaslConfigs.SASL_MECHANISM, mechanism));
        saslJaasConfig().ifPresent(jaas -> props.put(SaslConfigs.SASL_JAAS_CONFIG, jaas));
        return props;
    }

    /** An admin client's configuration: {@link #clientProperties()}, and no call that waits longer than {@link #requestTimeout()}. */
    default Properties adminProperties() {
        Properties props = clientProperties();
        int timeoutMs = (int) requestTimeout().toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return props;
    }
}
