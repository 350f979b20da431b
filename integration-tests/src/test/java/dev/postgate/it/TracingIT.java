package dev.postgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.Tokens;

/**
 * One trace crosses the services: a request sent through the proxy with a W3C traceparent is
 * traced by publish-service, by key-service (verifying a new key) and by workspace-service
 * (reserving credits), and the spans are exported to the configured OTLP endpoint (here a small
 * OTLP/HTTP receiver that keeps what it is sent). Kafka records carry the context of the span that
 * sent them, and a consuming service continues that trace.
 */
class TracingIT {
    static HttpServer collector;
    static final List<byte[]> exports = new ArrayList<>();
    static ProxiedStack stack;

    @BeforeAll
    static void start() throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            synchronized (exports) {
                exports.add(body);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
        Map<String, String> tracing = Map.of("POSTGATE_OTLP_ENDPOINT", endpoint, "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        stack = ProxiedStack.named("tracing").everyEnv(tracing).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void oneTraceCrossesPublishWorkspaceAndKeyService() throws Exception {
        String org = "org_trace_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin(org));
        String workspace = Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/workspaces", admin, "{\"name\":\"traced\"}").json()
                .path("data").path("id").asText();
        Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/workspaces/" + workspace + "/credits/grants", admin, "{\"amount\":10,\"reason\":\"trace\"}");
        String account = Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/workspaces/" + workspace + "/accounts", admin,
                "{\"platform\":\"x\",\"name\":\"traced\"}").json().path("data").path("id").asText();
        String writer = key(admin, "writer");
        String post = Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/posts", Map.of("Authorization", "Bearer " + writer,
                "X-Workspace-Id", workspace), "{\"content\":\"traced\",\"account_ids\":[\"" + account + "\"]}").json()
                .path("data").path("id").asText();

        // A key publish-service has never seen (so it asks key-service), publishing (so workspace-service reserves).
        String publisher = key(admin, "publisher");
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        Wire.Answer published = Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/posts/" + post + "/publish",
                Map.of("Authorization", "Bearer " + publisher, "X-Workspace-Id", workspace, "traceparent", traceparent), "{}");
        assertEquals(202, published.status(), published.body());

        byte[] trace = HexFormat.of().parseHex(traceId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String service : List.of("publish-service", "key-service", "workspace-service")) {
                assertTrue(exported(trace, service), service + " exported a span of trace " + traceId);
            }
        });
    }

    @Test
    void kafkaRecordsCarryTheTraceAndConsumersContinueIt() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin("org_trace_kafka_" + UUID.randomUUID()
                .toString().substring(0, 8)));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PostgateInfra.kafkaPort());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("postgate.api-keys.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            Wire.Answer created = Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/keys", admin, "{\"name\":\"traced\",\"preset\":\"full\"}");
            String keyId = created.json().path("data").path("id").asText();
            ConsumerRecord<String, String> event = null;
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (event == null && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keyId.equals(record.key())) {
                        event = record;
                    }
                }
            }
            assertNotNull(event, "the api_key.created event of " + keyId);
            Header header = event.headers().lastHeader("traceparent");
            assertNotNull(header, "the record carries a traceparent header");
            String traceparent = new String(header.value(), StandardCharsets.UTF_8);
            assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), traceparent);
            byte[] trace = HexFormat.of().parseHex(traceparent.substring(3, 35));
            // key-service's relay sent it in a span of this trace; the consumers handled it in spans of the same trace.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (String service : List.of("key-service", "workspace-service", "publish-service")) {
                    assertTrue(exported(trace, service), service + " exported a span of the record's trace");
                }
            });
        }
    }

    /**
     * SPEC section 2: a key is never logged. One a careless client put in a request (the secret
     * pasted where a key's id goes, an {@code ?api_key=} parameter, a body value) does not reach
     * the trace collector either: the server span's {@code url.path} and {@code url.query} carried
     * it, and the exception Quarkus REST records on the span for every error answer quoted it.
     * A target holding a key is sent to its service directly: the proxy refuses it before passing it
     * on ({@link ProxyErrorLogIT}), but a client that reaches a service another way (an Ingress)
     * is refused by the service, whose span of that request is exported too.
     */
    @Test
    void aKeyInARequestIsNotExportedInAnySpan() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin("org_trace_pasted_" + UUID.randomUUID()
                .toString().substring(0, 8)));
        String key = key(admin, "pasted");
        Map<String, String> byKey = Map.of("Authorization", "Bearer " + key);
        record Sent(String method, String target, Map<String, String> headers, String body, String service) {
        }
        List<Sent> requests = List.of(
                new Sent("GET", "/api/v1/keys/" + key, byKey, null, "key-service"),
                new Sent("GET", "/api/v1/workspaces/" + key + "?api_key=" + key, byKey, null, "workspace-service"),
                new Sent("GET", "/api/v1/whoami?api_key=" + key, byKey, null, "publish-service"),
                new Sent("GET", "/api/v1/posts/" + key, byKey, null, "publish-service"),
                new Sent("POST", "/api/v1/workspaces", admin, "{\"name\": " + key + "}", "workspace-service"),
                new Sent("POST", "/api/v1/keys", admin, "{\"name\": \"n\", \"mode\": \"" + key + "\"}", "key-service"));
        Map<byte[], String> traces = new java.util.HashMap<>();
        for (Sent sent : requests) {
            byte[] trace = randomBytes(16);
            String traceparent = "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
            Map<String, String> headers = new java.util.HashMap<>(sent.headers());
            headers.put("traceparent", traceparent);
            String base = !sent.target().contains(key) ? stack.proxy.baseUrl() : switch (sent.service()) {
                case "key-service" -> stack.keys.baseUrl();
                case "workspace-service" -> stack.workspaces.baseUrl();
                default -> stack.publish.baseUrl();
            };
            Wire.Answer answer = Wire.send(base, sent.method(), sent.target(), headers, sent.body());
            String what = (sent.method() + " " + sent.target()).replace(key, "{key}");
            assertTrue(answer.status() < 500, what + " -> " + answer.status());
            traces.put(trace, sent.service());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> traces.forEach((trace, service) ->
                assertTrue(exported(trace, service), service + " exported the span of a request with a key in it")));
        // The secret is the random part (SPEC section 2): neither it nor the whole key is in any export.
        byte[] whole = key.getBytes(StandardCharsets.UTF_8);
        byte[] random = key.substring(key.length() - 38, key.length() - 6).getBytes(StandardCharsets.UTF_8);
        synchronized (exports) {
            for (byte[] body : exports) {
                int at = indexOf(body, random);
                assertTrue(at < 0, () -> "an exported span holds the key, after: "
                        + new String(body, Math.max(0, at - 120), Math.min(at, 120), StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "."));
                assertTrue(!contains(body, whole), "an exported span holds the key");
            }
        }
    }

    private static String key(Map<String, String> admin, String name) throws Exception {
        return Wire.send(stack.proxy.baseUrl(), "POST", "/api/v1/keys", admin, "{\"name\":\"" + name + "\",\"preset\":\"full\"}").json()
                .path("data").path("key").asText();
    }

    /** True when an export (an OTLP protobuf request) of {@code service} holds a span of this trace (its 16 id bytes). */
    private static boolean exported(byte[] traceId, String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        synchronized (exports) {
            return exports.stream().anyMatch(body -> contains(body, traceId) && contains(body, name));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle) >= 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.security.SecureRandom().nextBytes(bytes);
        bytes[0] |= 1;
        return bytes;
    }
}
