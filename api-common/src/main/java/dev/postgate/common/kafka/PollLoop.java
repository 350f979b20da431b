package dev.postgate.common.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import dev.postgate.common.concurrent.Pause;

/**
 * The poll loop of a topic read in full on every instance ({@link EventConsumers}): one daemon
 * thread that connects, polls, hands each record to its reader and, when reading fails, closes
 * the consumer, waits a second and connects again, until {@link #stop()}. A new consumer goes on
 * where the last one stopped: each partition it has read from at the record after the last one
 * its reader took (the one whose reading failed is read again), the others where the reader
 * positions them; it never reads again what it has read since the start. A Kafka consumer needs
 * a thread of its own; this is the one place such a thread is made (key-client's key-event
 * consumer, key-service's instance tracker).
 */
public final class PollLoop {
    private static final Logger LOG = Logger.getLogger(PollLoop.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    /** What a loop does with its consumer; every method is called on the loop's thread. */
    public interface Reader {
        /**
         * Assigns a new consumer its partitions and positions it where reading starts; throws when
         * the broker cannot be read. After a failure the loop then moves the partitions already read
         * from to where reading stopped.
         */
        void position(KafkaConsumer<String, String> consumer);

        void accept(ConsumerRecord<String, String> record);

        /** After every poll, whether it returned records or not. */
        default void afterPoll(KafkaConsumer<String, String> consumer) {
        }

        /** Reading failed; {@code first} when it is the first failure since the loop last read (log it once). */
        void failed(RuntimeException error, boolean first);
    }

    private final String name;
    private final Duration pollWait;
    private final Reader reader;
    private KafkaSettings kafka;
    private volatile boolean running;
    private volatile String lastError;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;
    /** Per partition, the offset after the last record the reader took; only the loop's thread uses it. */
    private final Map<TopicPartition, Long> readUpTo = new HashMap<>();

    /** {@code name} names the thread and the consumer's client id; {@code pollWait} bounds each poll and fetch. */
    public PollLoop(String name, Duration pollWait, Reader reader) {
        this.name = name;
        this.pollWait = pollWait;
        this.reader = reader;
    }

    public void start(KafkaSettings kafka) {
        this.kafka = kafka;
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Wakes the consumer out of its poll and waits up to 3 s for the thread to close it. */
    public void stop() {
        running = false;
        EventConsumers.stop(consumer, thread);
    }

    public boolean running() {
        return running;
    }

    /** Whether a consumer is connected and positioned (it may still fail on its next poll). */
    public boolean connected() {
        return consumer != null;
    }

    /** Why the last attempt to read failed (class and message), or null once a connect succeeds. */
    public String lastError() {
        return lastError;
    }

    private void run() {
        while (running) {
            try {
                if (consumer == null) {
                    consumer = connect();
                    lastError = null;
                }
                ConsumerRecords<String, String> records = consumer.poll(pollWait);
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, String> record : records.records(partition)) {
                        reader.accept(record);
                        readUpTo.put(partition, record.offset() + 1);
                    }
                }
                reader.afterPoll(consumer);
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                reader.failed(e, lastError == null);
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                close();
                Pause.beforeRetry(RETRY_PAUSE);
            }
        }
        close();
    }

    private KafkaConsumer<String, String> connect() {
        KafkaConsumer<String, String> created = EventConsumers.open(kafka, name, pollWait);
        try {
            reader.position(created);
            int resumed = 0;
            for (Map.Entry<TopicPartition, Long> read : readUpTo.entrySet()) {
                if (created.assignment().contains(read.getKey())) {
                    created.seek(read.getKey(), read.getValue());
                    resumed++;
                }
            }
            if (resumed > 0) {
                // The reader has just said where it starts; on a reconnect these partitions go on where they stopped instead.
                LOG.infof("%s reconnected: %d partitions go on after the last record read", name, resumed);
            }
            return created;
        } catch (RuntimeException e) {
            EventConsumers.closeQuietly(created, Duration.ZERO);
            throw e;
        }
    }

    private void close() {
        KafkaConsumer<String, String> closing = consumer;
        consumer = null;
        EventConsumers.closeQuietly(closing, Duration.ofSeconds(1));
    }
}
