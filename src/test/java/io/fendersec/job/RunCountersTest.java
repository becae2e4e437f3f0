package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/** The run summary's counts survive a restore from a checkpoint, where accumulators alone restart at zero. */
class RunCountersTest {

    private static LogRecord log(String app) {
        return LogRecord.builder().put(LogFields.UUID, app + Math.random()).put(LogFields.APP, app).build();
    }

    @Test
    void countsAreRestoredFromTheCheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new RunCounters.Logs()))) {
            h.open();
            h.processElement(log("a"), 0);
            h.processElement(log("a"), 0);
            h.processElement(log("b"), 0);
            snapshot = h.snapshot(1, 1);
            h.processElement(log("a"), 0); // after the checkpoint: lost with the failed attempt, read again
        }
        StreamMap<LogRecord, LogRecord> restored = new StreamMap<>(new RunCounters.Logs());
        try (var h = new OneInputStreamOperatorTestHarness<>(restored)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(log("a"), 0);
            Object counts = restored.getRuntimeContext().getAccumulator(RunCounters.LOGS);
            assertThat(((CountsByKey) counts).getLocalValue()).containsEntry("a", 3L).containsEntry("b", 1L).hasSize(2);
        }
    }
}
