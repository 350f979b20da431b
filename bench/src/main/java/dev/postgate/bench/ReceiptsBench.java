package dev.postgate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;

/**
 * Revocation receipts (SPEC section 6, issue 15): how long a revoke call takes when it waits
 * until all four instances (2 × workspace-service, 2 × publish-service) have applied it, beside
 * two references measured in the same run, interleaved: the same revoke with {@code wait_ms=0}
 * (the commit and the outbox, no receipt), and a two-hop Kafka round trip on the same broker
 * (produce → consume → produce → consume, what a receipt needs at the least: the event out to an
 * instance, its acknowledgement back).
 */
final class ReceiptsBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiptsBench() {
    }

    static String run(int samples) throws Exception {
        try (BenchStack stack = new BenchStack(2, 2); TwoHops hops = new TwoHops()) {
            List<ServiceProcess> instances = stack.consumers();
            String org = TestKeys.newOrg();
            // One dashboard session for the run, as a user's browser holds one: minted outside the timed calls.
            String admin = "Bearer " + Tokens.admin(org);
            Http http = new Http();
            List<Long> confirmed = new ArrayList<>();
            List<Long> noWait = new ArrayList<>();
            List<Long> twoHops = new ArrayList<>();
            List<Long> elapsed = new ArrayList<>();
            int partial = 0;
            int warmup = Integer.getInteger("bench.receipts.warmup", 20);
            for (int n = -warmup; n < samples; n++) {
                long receipt = revoke(stack, instances, http, org, admin, 1000, elapsed, n >= 0);
                long zero = revoke(stack, instances, http, org, admin, 0, null, false);
                long hop = hops.roundTrip();
                if (n < 0) {
                    continue;
                }
                if (receipt < 0) {
                    partial++;
                } else {
                    confirmed.add(receipt);
                }
                noWait.add(zero < 0 ? -zero : zero);
                twoHops.add(hop);
            }
            Stats receipts = Stats.of(confirmed);
            Stats kafka = Stats.of(twoHops);
            double target = 1.5 * kafka.p99() + 10;
            StringBuilder md = new StringBuilder("## 7. Revocation receipts (revoke answers once every instance applied it)\n\n");
            md.append(String.format("%d revocations after %d warm-up rounds, one at a time, each key warm in all %d instances' caches "
                    + "(2 × workspace-service, 2 × publish-service); each receipt revoke is followed by the two references, "
                    + "so all three share the machine's state. Client-side latency of the whole call, with one dashboard token for the run.%n%n",
                    samples, warmup, instances.size()));
            md.append(Stats.header("call")).append('\n');
            md.append(receipts.row("revoke, waiting for the receipt (confirmed ones)")).append('\n');
            md.append(Stats.of(noWait).row("reference: revoke with wait_ms=0")).append('\n');
            md.append(kafka.row("reference: two-hop Kafka round trip")).append('\n');
            md.append(Stats.of(elapsed).row("receipt's elapsed_ms (commit → last instance applied)")).append("\n\n");
            md.append(String.format("Confirmed: %d of %d (partial: %d). Target: confirmed on four instances with p99 ≤ 1.5 × the "
                    + "two-hop p99 + 10 ms = %.1f ms: **%s** (p99 %.1f ms); 50 ms if reachable: **%s**.%n%n",
                    confirmed.size(), samples, partial, target, receipts.p99() <= target ? "met" : "NOT met", receipts.p99(),
                    receipts.p99() <= 50 ? "met" : "not met"));
            return md.toString();
        }
    }

    /**
     * Creates a key, warms it in every instance, revokes it with {@code wait_ms}: the call's
     * duration in microseconds, negative when the receipt was not confirmed.
     */
    private static long revoke(BenchStack stack, List<ServiceProcess> instances, Http http, String org, String admin, int waitMs,
            List<Long> elapsed, boolean record) throws Exception {
        IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        for (ServiceProcess instance : instances) {
            for (int warm = 0; warm < 2; warm++) {
                if (http.get(instance.baseUrl() + "/api/v1/whoami", key.bearer()) != 200) {
                    throw new IllegalStateException("a fresh key was not accepted by " + instance.name());
                }
            }
        }
        long start = System.nanoTime();
        String body = http.postJsonBody(stack.keys.baseUrl() + "/api/v1/keys/" + key.id() + "/revoke?wait_ms=" + waitMs,
                admin, "{}");
        long micros = (System.nanoTime() - start) / 1000;
        JsonNode data = body == null ? null : JSON.readTree(body).path("data");
        if (data == null || !"revoked".equals(data.path("status").asText())) {
            throw new IllegalStateException("revoke answered " + body);
        }
        JsonNode propagation = data.path("propagation");
        boolean isConfirmed = "confirmed".equals(propagation.path("status").asText());
        if (record && isConfirmed && elapsed != null) {
            elapsed.add(propagation.path("elapsed_ms").asLong() * 1000);
        }
        return isConfirmed ? micros : -micros;
    }

    /** Produce → consume → produce → consume on two topics of the bench's own, on the same broker. */
    static final class TwoHops implements AutoCloseable {
        private final String first = "bench.hop-1." + UUID.randomUUID();
        private final String second = "bench.hop-2." + UUID.randomUUID();
        private final KafkaProducer<String, String> producer;
        private final KafkaConsumer<String, String> relayConsumer;
        private final KafkaConsumer<String, String> endConsumer;
        private final BlockingQueue<Long> arrived = new LinkedBlockingQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread relay;
        private final Thread end;
        private final Admin admin;

        TwoHops() throws Exception {
            String bootstrap = PostgateInfra.kafkaBootstrap();
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            admin.createTopics(List.of(new NewTopic(first, 1, (short) 1), new NewTopic(second, 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
            Properties produce = new Properties();
            produce.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            produce.put(ProducerConfig.ACKS_CONFIG, "all");
            produce.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            produce.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            produce.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(produce);
            relayConsumer = consumer(bootstrap, first);
            endConsumer = consumer(bootstrap, second);
            relay = new Thread(() -> {
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : relayConsumer.poll(Duration.ofMillis(50))) {
                        producer.send(new ProducerRecord<>(second, r.key(), r.value()));
                    }
                }
            }, "bench-hop-relay");
            end = new Thread(() -> {
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : endConsumer.poll(Duration.ofMillis(50))) {
                        arrived.add(Long.parseLong(r.value()));
                    }
                }
            }, "bench-hop-end");
            relay.start();
            end.start();
        }

        private static KafkaConsumer<String, String> consumer(String bootstrap, String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.position(partition);
            return consumer;
        }

        /** One record through both hops: microseconds from the first send to the second arrival. */
        long roundTrip() throws InterruptedException {
            long start = System.nanoTime();
            producer.send(new ProducerRecord<>(first, "k", Long.toString(start)));
            while (true) {
                Long stamp = arrived.poll(10, TimeUnit.SECONDS);
                if (stamp == null) {
                    throw new IllegalStateException("a record did not make both hops within 10 s");
                }
                if (stamp == start) {
                    return (System.nanoTime() - start) / 1000;
                }
            }
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            relay.join(2000);
            end.join(2000);
            relayConsumer.close();
            endConsumer.close();
            producer.close();
            admin.deleteTopics(Set.of(first, second)).all().get(30, TimeUnit.SECONDS);
            admin.close();
        }
    }
}
