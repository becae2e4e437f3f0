package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupState;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.model.Alert;

/**
 * Issue 26: the correlate stage keeps a group in map states now; savepoints of earlier releases
 * hold it as one {@link GroupState} value ({@code correlation-groups}). Such a group restores, is
 * migrated on its first access and goes on counting: expectations by hand from brute-force's
 * threshold (5 failures in 5 minutes) and the hits written into the old value.
 */
class LegacyGroupStateHarnessTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final String IP = "10.0.0.9";

    private static GroupHits failure(long seconds) {
        return new GroupHits(1, "app1", Map.of("source.ip", IP), T0 + seconds * 1000, "dev-9",
                List.of("u-" + seconds), List.of(new GroupHits.Target("brute-force", "failed-login", null)));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, GroupHits, Alert> harness(String backend)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CorrelateOperator(new CorrelateFunction(CorrelateFunctionHarnessTest.BRUTE_ONLY,
                        DetectionSettings.defaults())), GroupHits::key, Types.STRING);
        h.setStateBackend(backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        return h;
    }

    private static KeyedStateBackend<Object> backend(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        return ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
    }

    /**
     * A snapshot holding what an earlier release kept for group {@link #IP}: three failures in its
     * brute-force window (processed) and a fourth waiting for the watermark, in one value.
     */
    private static OperatorSubtaskState earlierReleaseSnapshot(String backendName) throws Exception {
        GroupState old = new GroupState();
        CorrelationProcessor p = new CorrelationProcessor(CorrelateFunctionHarnessTest.BRUTE_ONLY, DetectionSettings.defaults());
        CorrelationProcessor.Output none = new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert alert) {
                throw new AssertionError("three failures are under the threshold");
            }

            @Override
            public void chained(Hit hit) {}
        };
        for (int s = 1; s <= 3; s++) {
            for (Hit hit : failure(s).hits()) {
                p.process(old.rule(hit.target()), hit, none);
            }
        }
        old.hold(failure(4));
        try (var h = harness(backendName)) {
            h.open();
            KeyedStateBackend<Object> b = backend(h);
            b.setCurrentKey(failure(4).key());
            ValueState<GroupState> legacy = b.getPartitionedState(VoidNamespace.INSTANCE,
                    VoidNamespaceSerializer.INSTANCE, GroupStore.legacyDescriptor());
            legacy.update(old);
            return h.snapshot(1, 1);
        }
    }

    private static long keysOf(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String state) throws Exception {
        try (Stream<Object> keys = backend(h).getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    // Mutation caught (seen failing): the old value not read (no migration) -> the restored group
    // starts empty, one failure, no alert.
    // Mutation caught (seen failing): the waiting hits of the old value not moved -> 4 failures, no alert.
    // Mutation caught (seen failing): the old value not cleared after migrating -> it stays in
    // state (1 key under correlation-groups) and would be migrated again over the new state.
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aGroupOfAnEarlierReleaseRestoresMigratesAndAlerts(String backendName) throws Exception {
        OperatorSubtaskState snapshot = earlierReleaseSnapshot(backendName);
        try (var h = harness(backendName)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(keysOf(h, GroupStore.LEGACY)).isEqualTo(1);
            GroupHits fifth = failure(5);
            h.processElement(fifth, fifth.time());
            assertThat(keysOf(h, GroupStore.LEGACY)).isZero(); // moved into the new states
            h.processWatermark(T0 + 10_000);
            List<Alert> alerts = h.extractOutputValues().stream().filter(a -> a.ruleId().equals("brute-force")).toList();
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.group()).isEqualTo(Map.of("source.ip", IP));
                assertThat(a.count()).isEqualTo(5);
                assertThat(a.evidence()).containsExactlyInAnyOrder("u-1", "u-2", "u-3", "u-4", "u-5");
            });
            assertThat(StoredGroups.count(h)).isEqualTo(1);
        }
    }
}
