package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.fendersec.model.LogRecord;

/**
 * The arrival lane alone (issue 27 §2), on Flink's operator harness with processing time set by
 * hand: what it re-times, by how much, and what it leaves alone. Times by hand: the clock (arrival)
 * is 12:00:00, the settle period 10 s, the tolerance 5 min.
 */
class ArrivalLaneHarnessTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private int seq;

    private LogRecord log(String device, Instant time) {
        seq++;
        return LogRecord.builder().put("uuid", "u" + seq).put("app", "a").put("device.udid", device)
                .put("time", time.toString()).put("text", "Login failed for bob@example.com").build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, LogRecord> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ArrivalLane(ArrivalLane.Settings.defaults())), ArrivalLane::key,
                Types.STRING);
        h.open();
        h.setProcessingTime(NOW.toEpochMilli());
        h.processWatermark(new Watermark(NOW.minusSeconds(5).toEpochMilli())); // live: the job is caught up
        return h;
    }

    private static List<LogRecord> out(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, LogRecord> h) {
        List<LogRecord> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((LogRecord) r.getValue());
            }
        }
        return out;
    }

    /**
     * A clock 2 h behind, logs arriving one a second: all re-timed by the same 2 h (the smallest
     * offset), spacing kept, marked behind, claimed time kept. Catches: no re-timing, a per-log
     * offset (every log to its own arrival), the mark or the claimed time lost.
     */
    @Test
    void aClockSetBackIsRetimedByItsOffset() throws Exception {
        var h = harness();
        for (int i = 0; i < 5; i++) {
            h.setProcessingTime(NOW.plusSeconds(i).toEpochMilli());
            // each log waited 0..2 s on the device: offsets 2h, 2h+1s, 2h+2s, 2h, 2h+1s
            h.processElement(new StreamRecord<>(log("set-back", NOW.plusSeconds(i).minus(Duration.ofHours(2))
                    .minusSeconds(i % 3))));
        }
        assertThat(out(h)).as("held until the settle period ends").isEmpty();
        h.setProcessingTime(NOW.plusSeconds(10).toEpochMilli());
        List<LogRecord> out = out(h);
        assertThat(out).hasSize(5);
        // the smallest offset is exactly 2 h: each log moves by 2 h, no more
        assertThat(out.get(0).time()).isEqualTo(NOW);
        assertThat(out.get(1).time()).isEqualTo(NOW.plusSeconds(1).minusSeconds(1));
        assertThat(out.get(2).time()).isEqualTo(NOW.plusSeconds(2).minusSeconds(2));
        assertThat(out.get(0).getString("device.clock")).isEqualTo("behind");
        assertThat(out.get(0).getString("device.time")).isEqualTo(NOW.minus(Duration.ofHours(2)).toString());
        assertThat(out.get(0).getString("device.clock.batch")).isEqualTo(Long.toString(NOW.plusSeconds(10).toEpochMilli()));
        h.close();
    }

    /**
     * An offline upload: three hours of logs at once, the newest late one 61 min old. Only those
     * within 5 min of the smallest offset are re-timed, by that offset: the rest keep their times,
     * never one burst. Catches: the tolerance check dropped (all re-timed to their arrival or by
     * one offset that puts the old ones in the future).
     */
    @Test
    void anOfflineUploadIsNotOneBurst() throws Exception {
        var h = harness();
        for (int m = 180; m >= 61; m -= 1) {
            h.processElement(new StreamRecord<>(log("offline", NOW.minus(Duration.ofMinutes(m)))));
        }
        h.setProcessingTime(NOW.plusSeconds(10).toEpochMilli());
        List<LogRecord> out = out(h);
        // minutes 61..66 behind: offsets within 5 min of 61 min
        assertThat(out).hasSize(6);
        assertThat(out).extracting(LogRecord::time).allMatch(t -> !t.isAfter(NOW) && !t.isBefore(NOW.minus(Duration.ofMinutes(5))));
        h.close();
    }

    /** A backfill is no arrival of now. Catches: the live check dropped (a backfill's late logs re-timed to now). */
    @Test
    void lateLogsOfABackfillAreLeftAlone() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ArrivalLane(ArrivalLane.Settings.defaults())), ArrivalLane::key,
                Types.STRING);
        h.open();
        h.setProcessingTime(NOW.toEpochMilli());
        h.processWatermark(new Watermark(NOW.minus(Duration.ofHours(5)).toEpochMilli()));
        h.processElement(new StreamRecord<>(log("old", NOW.minus(Duration.ofHours(7)))));
        h.setProcessingTime(NOW.plusSeconds(20).toEpochMilli());
        assertThat(out(h)).isEmpty();
        h.close();
    }
}
