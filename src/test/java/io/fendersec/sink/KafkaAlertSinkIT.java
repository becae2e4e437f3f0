package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;
import io.fendersec.model.AlertTypeInfoFactory;

/**
 * The Kafka alert sink against a real Kafka 4.2.0 broker (KRaft, its own JVM: {@link TestKafkaBroker}),
 * exactly once across a failure: a checkpoint whose transaction was already flushed to the broker
 * fails, the job restarts from the checkpoint before it, and a {@code read_committed} consumer
 * still sees every alert exactly once while a {@code read_uncommitted} one sees the aborted copies.
 */
class KafkaAlertSinkIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static TestKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        long t0 = System.nanoTime();
        broker = TestKafkaBroker.start(dir);
        System.out.printf(Locale.ROOT, "KafkaAlertSinkIT: broker formatted and started in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            long t0 = System.nanoTime();
            broker.close();
            System.out.printf(Locale.ROOT, "KafkaAlertSinkIT: broker stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(broker.isAlive()).as("broker JVM stopped").isFalse();
        }
    }

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Test
    void eachAlertOnceForReadCommittedConsumersAcrossAFailedCheckpointAndARestart() throws Exception {
        String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        FAILED.set(false);
        ATTEMPTS.set(0);

        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        // A failed checkpoint fails the job (the default, stated): that is the injected failure.
        c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        // 40 alerts, 10 released per checkpoint, so several transactions commit before the end and
        // one checkpoint's transaction is on the broker when that checkpoint fails.
        int alerts = 40;
        DataGeneratorSource<Alert> source = new DataGeneratorSource<>(new Alerts(), alerts,
                RateLimiterStrategy.perCheckpoint(10), AlertTypeInfoFactory.TYPE);
        String prefix = "it-" + topic;
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "alerts")
                .map(new FailCheckpointOnceAfterOneCompleted(), AlertTypeInfoFactory.TYPE)
                .sinkTo(KafkaAlertSink.create(new KafkaSinkSettings(broker.bootstrapServers(), topic, prefix, Map.of())))
                .name("alerts-kafka-0").uid("alerts-kafka-0");
        long t0 = System.nanoTime();
        env.execute("kafka-exactly-once");
        System.out.printf(Locale.ROOT, "KafkaAlertSinkIT: job ran %d ms, %d attempts%n",
                (System.nanoTime() - t0) / 1_000_000, ATTEMPTS.get());

        assertThat(FAILED).as("the failure was injected").isTrue();
        assertThat(ATTEMPTS.get()).as("the failed subtask restarted").isGreaterThan(2); // 2 subtasks, then restarts

        Map<String, Alert> expected = new HashMap<>();
        for (int n = 0; n < alerts; n++) {
            Alert a = TestAlerts.alert(n, 1);
            expected.put(a.alertId(), a);
        }

        t0 = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> committed = readAll(topic, "read_committed");
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Alert value = AlertJson.fromJson(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(value.alertId()).as("key = alert_id").isEqualTo(key);
            assertThat(value).as("value = the alert JSON").isEqualTo(expected.get(key));
            assertThat(r.timestamp()).as("timestamp = last_seen").isEqualTo(value.lastSeen().toEpochMilli());
            seen.merge(key, 1, Integer::sum);
        }
        assertThat(seen.keySet()).as("every alert, read_committed").isEqualTo(expected.keySet());
        assertThat(seen.values().stream().filter(n -> n > 1).count()).as("alerts seen twice, read_committed").isZero();
        assertThat(committed).hasSize(alerts);

        // The same topic without isolation: the aborted transaction's records are there too,
        // proving the sink wrote in transactions and the restart replayed into new ones.
        List<ConsumerRecord<byte[], byte[]>> all = readAll(topic, "read_uncommitted");
        Set<String> keys = all.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
        System.out.printf(Locale.ROOT, "KafkaAlertSinkIT: %d records committed, %d in the log with aborted ones (read in %d ms)%n",
                committed.size(), all.size(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(keys).isEqualTo(expected.keySet());
        assertThat(all.size()).as("aborted records in the log, read_uncommitted").isGreaterThan(alerts);
    }

    /**
     * Issue 26 §2 against the real broker: one alert too large for the producer (max.request.size
     * 20,000 bytes; its title is 30,000 characters) goes to the owner-only dead-letter file and the
     * others of the same transaction are committed; a hostile alert through the sink-safe stage (U+0000
     * and lone surrogates in group, title, app and evidence text) arrives with U+FFFD in valid UTF-8.
     * Mutations caught: AlertKafkaSerializer without the size check (the producer fails the
     * transaction with RecordTooLargeException, the job fails and nothing is committed); the refused
     * record dropped without a dead letter; SinkSafeAlerts.clean skipping a field.
     */
    @Test
    void aRecordTooLargeIsDeadLetteredAndTheRestCommitted() throws Exception {
        String topic = "alerts-dl-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path deadLetters = dir.resolve("dl-" + topic);
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(1);
        env.enableCheckpointing(300);
        Alert plain = TestAlerts.alert(1, 1);
        Alert huge = TestAlerts.alert(2, 1).toBuilder().title("x".repeat(30_000)).build();
        Alert hostile = SinkSafeAlerts.clean(FileSinkDeadLettersTest.hostile(3));
        env.fromData(List.of(plain, huge, hostile), AlertTypeInfoFactory.TYPE)
                .sinkTo(KafkaAlertSink.create(new KafkaSinkSettings(broker.bootstrapServers(), topic, "it-" + topic,
                        Map.of("max.request.size", "20000"), deadLetters.toString())))
                .name("alerts-kafka-0").uid("alerts-kafka-0");
        env.execute("kafka-dead-letters");

        List<ConsumerRecord<byte[], byte[]>> committed = readAll(topic, "read_committed");
        Map<String, Alert> got = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(r.value())).toString();
            Alert a = AlertJson.fromJson(text);
            got.put(a.alertId(), a);
        }
        assertThat(got.keySet()).containsExactlyInAnyOrder(plain.alertId(), hostile.alertId());
        Alert h = got.get(hostile.alertId());
        assertThat(h.title()).isEqualTo("Secret \uFFFD in log");
        assertThat(h.app()).isEqualTo("app\uFFFD-1");
        assertThat(h.group()).containsEntry("source.ip", "203.0.113.9\uFFFD").containsEntry("file", "a\uFFFDb");
        assertThat(h.evidenceLogs().get(0).text()).isEqualTo("password=\uFFFD \uFFFD");

        Path file = deadLetters.resolve("alerts-kafka-" + topic + "-0.jsonl");
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains(huge.alertId(), "larger than the producer's max.request.size (20000)");
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** Every record of the topic, from the beginning to the end offsets (the last stable offset for read_committed). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        Map<String, Object> cfg = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
                assertThat(System.nanoTime()).as("read %s to %s within %s", topic, end, READ_TIMEOUT).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Alert n, first version. */
    static final class Alerts implements GeneratorFunction<Long, Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public Alert map(Long n) {
            return TestAlerts.alert(n.intValue(), 1);
        }
    }

    /**
     * Fails one checkpoint: the first one taken by a subtask that has passed records on since a
     * checkpoint completed. The sink, chained after this map, has those records in its open
     * transaction and flushes it to the broker before the barrier (prepareSnapshotPreBarrier);
     * this map's snapshot comes after and throws, so that checkpoint never completes, its
     * transaction is never committed, and the job restarts from the last completed checkpoint,
     * replaying the same alerts into a new transaction.
     */
    static final class FailCheckpointOnceAfterOneCompleted
            implements MapFunction<Alert, Alert>, CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;

        private transient boolean completed;
        private transient int sinceCompleted;

        @Override
        public Alert map(Alert a) {
            if (completed) {
                sinceCompleted++;
            }
            return a;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            ATTEMPTS.incrementAndGet();
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (sinceCompleted > 0 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure in checkpoint " + context.getCheckpointId()
                        + ", after " + sinceCompleted + " records");
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            completed = true;
            sinceCompleted = 0;
        }
    }
}
