import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates Postgate's topics when they are missing (run with java's source launcher by
 * deploy/local/kafka.sh). Exits 0 when the broker answered and every topic exists, 1 when
 * the broker does not answer, so it doubles as "is a Kafka broker listening here?".
 *
 * Three partitions each: records are keyed by key or workspace id, so one key's events stay
 * in order, and the relay's heartbeats cover every partition. Seven days of key events let an
 * outside consumer replay a week; Postgate's own consumers never need history.
 */
public class EnsureTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        Map<String, String> week = Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000),
                "cleanup.policy", "delete", "min.insync.replicas", "1");
        List<NewTopic> wanted = List.of(
                new NewTopic("postgate.api-keys.v1", 3, (short) 1).configs(week),
                new NewTopic("postgate.workspaces.v1", 3, (short) 1).configs(week),
                new NewTopic("postgate.credits.v1", 3, (short) 1).configs(week),
                new NewTopic("postgate.instances.v1", 3, (short) 1).configs(week));
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : wanted) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(20, TimeUnit.SECONDS);
                missing.forEach(t -> System.out.println("created topic " + t.name()));
            }
        } catch (Exception e) {
            System.err.println("Kafka at " + bootstrap + " did not answer: " + e.getMessage());
            System.exit(1);
        }
    }
}
