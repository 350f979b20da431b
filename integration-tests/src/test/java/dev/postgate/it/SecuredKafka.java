package dev.postgate.it;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;

/**
 * A second Kafka broker from the project's Maven Central jars (deploy/local/kafka), on free ports and
 * a data directory of its own, configured as docker-compose's broker
 * (deploy/compose/kafka/server.properties: SASL/SCRAM-SHA-512 for clients, StandardAuthorizer,
 * nothing allowed without an ACL), with the admin user added at format time (kafka-storage
 * {@code --add-scram}), and then, through the Admin API as that admin, the topics, one SCRAM user per
 * service and the ACLs of deploy/kafka-acls.txt: what docker-compose's kafka-init does with the CLI.
 */
final class SecuredKafka implements AutoCloseable {
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String ADMIN = "admin";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final List<String[]> acls;
    private Process process;

    private SecuredKafka(Path dir, int port, int controllerPort, List<String[]> acls) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.acls = acls;
    }

    static SecuredKafka start() throws Exception {
        PostgateInfra.ensure();
        Path root = PostgateInfra.repositoryRoot();
        int port = ServiceProcess.freePort();
        SecuredKafka kafka = new SecuredKafka(Path.of("target/secured-kafka-" + port).toAbsolutePath(), port,
                ServiceProcess.freePort(), readAcls(root.resolve("deploy/kafka-acls.txt")));
        kafka.passwords.put(ADMIN, randomPassword());
        for (String[] acl : kafka.acls) {
            kafka.passwords.putIfAbsent(acl[0], randomPassword());
        }
        try {
            kafka.launch(root);
            kafka.provision();
        } catch (Exception | AssertionError e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    String password(String user) {
        return passwords.get(user);
    }

    /** The SCRAM login line a client of this user puts in sasl.jaas.config. */
    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** Client settings for a user of this broker (SASL_PLAINTEXT, SCRAM-SHA-512). */
    Properties client(String user) {
        return client(user, passwords.get(user));
    }

    Properties client(String user, String password) {
        Properties props = plaintextClient();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        return props;
    }

    /** Client settings without credentials. */
    Properties plaintextClient() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return props;
    }

    /** What a packaged service needs in its environment to log in as its own user here. */
    Map<String, String> serviceEnvironment(String user) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", MECHANISM,
                "KAFKA_SASL_JAAS_CONFIG", jaas(user, passwords.get(user)));
    }

    private void launch(Path root) throws Exception {
        Path libs = root.resolve("deploy/local/kafka/target/libs");
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException(libs + " is missing: deploy/local/kafka.sh start fetches the broker jars");
        }
        Files.createDirectories(dir);
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(root.resolve("deploy/compose/kafka/server.properties"))) {
            config.load(reader);
        }
        // The compose file's network and storage settings, moved to this machine's free ports.
        config.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("log.dirs", dir.resolve("data").toString());
        // As deploy/compose/kafka/start.sh: the broker's own login on its SASL listener.
        config.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas(ADMIN, passwords.get(ADMIN)));
        Path file = dir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.store(writer, "SecuredKafka: deploy/compose/kafka/server.properties on free ports");
        }
        Path log = dir.resolve("kafka.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = libs + "/*";
        Process format = new ProcessBuilder(java, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", file.toString(), "--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + passwords.get(ADMIN) + "]")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            throw new IllegalStateException("kafka-storage format failed:\n" + Files.readString(log));
        }
        process = new ProcessBuilder(java, "-Xms64m", "-Xmx384m", "-cp", classpath, "kafka.Kafka", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** As the admin: topics, a SCRAM user per service, the ACLs; waits until each user can log in. */
    private void provision() throws Exception {
        Properties props = client(ADMIN);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (Admin admin = Admin.create(props)) {
            awaitLogin(admin, ADMIN);
            Set<String> topics = new LinkedHashSet<>();
            acls.forEach(acl -> topics.add(acl[2]));
            admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, 3, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);

            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            passwords.forEach((user, password) -> {
                if (!user.equals(ADMIN)) {
                    users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
                }
            });
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(60, TimeUnit.SECONDS);

            // A set: a user that reads and writes one topic gets its Describe once (the broker keeps one).
            Set<AclBinding> bindings = new LinkedHashSet<>();
            for (String[] acl : acls) {
                ResourcePattern topic = new ResourcePattern(org.apache.kafka.common.resource.ResourceType.TOPIC, acl[2], PatternType.LITERAL);
                AclOperation access = acl[1].equals("write") ? AclOperation.WRITE : AclOperation.READ;
                for (AclOperation operation : List.of(access, AclOperation.DESCRIBE)) {
                    bindings.add(new AclBinding(topic, new AccessControlEntry("User:" + acl[0], "*", operation, AclPermissionType.ALLOW)));
                }
            }
            admin.createAcls(List.copyOf(bindings)).all().get(60, TimeUnit.SECONDS);
            // Generous, as the first login: the broker applies the new ACLs from its metadata log.
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).size() < bindings.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ACLs did not show up on the broker");
                }
                Thread.sleep(100);
            }
        }
        for (String user : passwords.keySet()) {
            try (Admin admin = Admin.create(client(user))) {
                awaitLogin(admin, user);
            }
        }
    }

    private void awaitLogin(Admin admin, String user) throws Exception {
        // Generous: a broker formatted and started a moment ago is slow on a busy machine.
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the secured broker exited:\n" + Files.readString(dir.resolve("kafka.log")));
            }
            try {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(user + " cannot log in to the secured broker on " + bootstrap(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static List<String[]> readAcls(Path file) throws IOException {
        List<String[]> acls = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                acls.add(trimmed.split("\\s+"));
            }
        }
        return acls;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The data goes; the configuration and the broker's log stay under target/ for a look.
        try (var files = Files.walk(dir.resolve("data"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Nothing written yet, or a leftover under target/: no harm either way.
        }
    }
}
