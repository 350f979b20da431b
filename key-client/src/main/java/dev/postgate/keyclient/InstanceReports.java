package dev.postgate.keyclient;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.kafka.EventProducer;
import dev.postgate.common.kafka.InstancesTopic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * This instance on topic {@value InstancesTopic#NAME} (SPEC section 6, "Revocation receipts"): an
 * {@code instance.alive} at least once a second, and an {@code api_key.applied} for every key
 * event once its eviction is done, so key-service can tell a revoke's caller that every live
 * instance refuses the key. The cache is used only after the broker acknowledged this
 * instance's first {@code instance.alive} ({@link #announced()}): until key-service can know of
 * an instance, that instance keeps nothing it could serve from.
 */
@ApplicationScoped
public class InstanceReports {
    private static final Logger LOG = Logger.getLogger(InstanceReports.class);
    static final long ALIVE_INTERVAL_MS = 500;

    @Inject
    EventProducer producer;

    @Inject
    ObjectMapper mapper;

    @Inject
    KeyClientConfig config;

    private final String service;
    private final String instance;
    private final Instant startedAt = Instant.now();
    /** This instance's acknowledged alives so far. */
    private volatile Announcement announcement = Announcement.NONE;
    private long timer = -1;
    private volatile boolean failing;
    private volatile BooleanSupplier cacheTrusted = () -> false;
    private final AtomicBoolean sending = new AtomicBoolean();

    @Inject
    public InstanceReports(@ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.service = service;
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.instance = InstancesTopic.instanceId(service, host(), port, HexFormat.of().formatHex(random));
    }

    /** A staleness window key-service can honour ({@link InstancesTopic#MAX_STALENESS_WINDOW}); refused at start otherwise. */
    static void checkStalenessWindow(Duration window) {
        if (window.isNegative() || window.compareTo(InstancesTopic.MAX_STALENESS_WINDOW) > 0) {
            throw new IllegalStateException("postgate.key-client.staleness-window is " + window + "; it must be from 0 to "
                    + InstancesTopic.MAX_STALENESS_WINDOW.toSeconds() + " s, the longest window key-service's revocation receipts can honour");
        }
    }

    /** A service key-service counts in its receipts ({@link InstancesTopic#SERVICES}); refused at start otherwise. */
    static void checkReporting(String service) {
        if (!InstancesTopic.SERVICES.contains(service)) {
            throw new IllegalStateException("quarkus.application.name is " + service + "; key-service counts only the instances of "
                    + new TreeSet<>(InstancesTopic.SERVICES) + " in its revocation receipts (InstancesTopic.SERVICES)");
        }
    }

    /**
     * Whether the broker acknowledged one of this instance's {@code instance.alive} records within
     * the staleness window: key-service counts only instances it hears from, so one whose alives
     * stopped reaching the broker must not trust its cache either.
     */
    public boolean announced() {
        return announcementNow() != 0;
    }

    /**
     * Which unbroken announcement of this instance holds now (1 for the first, counting up), 0
     * when it is not announced now. A new one begins when an alive is acknowledged after the last
     * one's window ran out: key-service may have left this instance out of the receipts of
     * revocations made meanwhile, so what it cached before must not be served again
     * ({@link VerifiedKeyCache}). A count, not a time: a clock set back cannot make a new
     * announcement look older than the last.
     */
    public long announcementNow() {
        Announcement current = announcement;
        return announcedAt(current.last(), System.currentTimeMillis(), config.stalenessWindow()) ? current.run() : 0;
    }

    /**
     * This instance's acknowledged alives: which unbroken run of them this is ({@code run}, 0 =
     * none yet) and the newest one's record timestamp ({@code last}, epoch millis).
     */
    record Announcement(long run, long last) {
        static final Announcement NONE = new Announcement(0, 0);

        /** After an alive stamped {@code stamp} is acknowledged at {@code ackedAt}: a new run if the last one's window had run out. */
        Announcement acknowledged(long stamp, long ackedAt, Duration window) {
            return announcedAt(last, ackedAt, window) ? new Announcement(run, Math.max(last, stamp)) : new Announcement(run + 1, stamp);
        }
    }

    /**
     * Whether an instance whose last acknowledged alive carries the record timestamp {@code stamp}
     * (0: none yet) counts as announced at {@code now}: by that timestamp, the one key-service
     * judges its liveness by, not by when the acknowledgement came back. An alive the broker took
     * seconds to acknowledge has used those seconds of the window on both sides.
     */
    static boolean announcedAt(long stamp, long now, Duration window) {
        return stamp > 0 && now - stamp <= window.toMillis();
    }

    /** The record timestamp of an acknowledged alive ({@code ackedAt} if the broker gave none). */
    static long stampOf(RecordMetadata metadata, long ackedAt) {
        return metadata != null && metadata.hasTimestamp() ? metadata.timestamp() : ackedAt;
    }

    /** What {@code cache_trusted} says in each {@code instance.alive} (the key events' listener tells). */
    void reportTrust(BooleanSupplier trusted) {
        this.cacheTrusted = trusted;
    }

    /**
     * Every 500 ms from start (Quarkus's scheduler cannot go below a second, which would leave
     * "at least once a second" to chance): a Vert.x timer hands the send to a worker, one at a
     * time, since a send can wait for the broker.
     */
    void start(@Observes StartupEvent event, Vertx vertx) {
        checkStalenessWindow(config.stalenessWindow());
        checkReporting(service);
        timer = vertx.setPeriodic(0, ALIVE_INTERVAL_MS, id -> {
            if (sending.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    try {
                        alive();
                    } finally {
                        sending.set(false);
                    }
                    return null;
                }, false);
            }
        });
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void alive() {
        Instant now = Instant.now();
        send(new InstancesTopic.Alive(InstancesTopic.ALIVE, instance, service, startedAt, now, config.stalenessWindow().toMillis(),
                cacheTrusted.getAsBoolean(), InstancesTopic.VERSION), true);
    }

    /** The key's event {@code seq} is applied on this instance: its eviction is done. */
    void applied(String keyId, long seq, Instant eventOccurredAt) {
        send(new InstancesTopic.Applied(InstancesTopic.APPLIED, instance, service, keyId, seq, eventOccurredAt, Instant.now(),
                InstancesTopic.VERSION), false);
    }

    private void send(Object record, boolean alive) {
        String value;
        try {
            value = mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        producer.send(InstancesTopic.NAME, null, instance, value).whenComplete((metadata, error) -> {
            if (error == null) {
                if (alive) {
                    // Acknowledgements come back one at a time, on the producer's thread.
                    long ackedAt = System.currentTimeMillis();
                    announcement = announcement.acknowledged(stampOf(metadata, ackedAt), ackedAt, config.stalenessWindow());
                }
                failing = false;
            } else if (!failing) {
                failing = true;
                LOG.warnf("Cannot write to %s (%s); revocation receipts will name this instance as missing", InstancesTopic.NAME,
                        error.getMessage());
            }
        });
    }

    private static String host() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
