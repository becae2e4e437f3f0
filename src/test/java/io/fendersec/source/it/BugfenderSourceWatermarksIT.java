package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fendersec.model.LogRecord;
import io.fendersec.source.BugfenderSource;

/**
 * The emitter's split-local watermarks reach the stream through {@code source.watermarkStrategy()}:
 * over a bounded read of several apps' slices, by one reader and by two, no log of the snapshot
 * arrives behind the watermark of the reader that emits it, and event time moves while a slice is
 * read, not only when it ends (issue 26 §1: hits are released as a bounded range is read).
 *
 * <p>Catches: a slice that follows its own pages without the read frontier (the change reverted in
 * ae46fc8: a reader that reads app 0's slice and then app 1's slice of the same hours had moved its
 * watermark past the second one; 879 of 1,643 logs late); a frontier that forgets the slices not
 * handed out yet (the same); and a slice held at its start until it ends (event time would move
 * only between slices: no log sees the watermark past its own slice's start).
 */
class BugfenderSourceWatermarksIT {
    private static final Instant END = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant FROM = END.minus(Duration.ofDays(1));
    private static final Duration SLICE = Duration.ofHours(3);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @ParameterizedTest(name = "{0} reader(s), {1} apps")
    @CsvSource({"1, 2", "2, 3"})
    void snapshotLogsAreNeverBehindTheWatermarkAndEventTimeMovesWithinSlices(int readers, int apps) throws Exception {
        long s0 = System.nanoTime();
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(3).apps(apps).days(1).end(END).logsPerDay(2_000))) {
            System.out.printf("emulator up in %d ms%n", (System.nanoTime() - s0) / 1_000_000);
            BugfenderSource source = BugfenderSource.builder().clientSettings(f.clientSettings()).bounded()
                    .from(FROM).to(END).slice(SLICE).pageSize(50).build();
            long t0 = System.nanoTime();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            // Chained to its reader: each log is judged against the watermark of the reader that
            // emitted it, the strictest view (a keyed stage sees the oldest reader's).
            env.setParallelism(readers);
            List<Tuple3<String, Long, Long>> seen = env.fromSource(source, source.watermarkStrategy(), "bugfender")
                    .process(new ProcessFunction<LogRecord, Tuple3<String, Long, Long>>() {
                        @Override
                        public void processElement(LogRecord log, Context ctx,
                                Collector<Tuple3<String, Long, Long>> out) {
                            out.collect(Tuple3.of(log.app(), ctx.timestamp(), ctx.timerService().currentWatermark()));
                        }
                    }).returns(Types.TUPLE(Types.STRING, Types.LONG, Types.LONG)).executeAndCollect(100_000);

            System.out.printf("watermarks run: %d logs in %d ms%n", seen.size(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(seen).hasSizeGreaterThan(500 * apps);
            assertThat(seen.stream().map(s -> s.f0).distinct()).hasSize(apps);
            assertThat(seen.stream().filter(s -> s.f1 <= s.f2)).as("logs at or behind their reader's watermark")
                    .isEmpty();
            long lastWatermark = seen.stream().mapToLong(s -> s.f2).max().orElseThrow();
            assertThat(lastWatermark).as("event time advanced past the first slices")
                    .isGreaterThanOrEqualTo(END.minus(SLICE).toEpochMilli() - 1);

            // Within a slice: some log sees the watermark past its own slice's start while logs of that
            // slice are still to come (records of one slice come from one reader, in order).
            long movedWithin = 0;
            for (int i = 0; i < seen.size(); i++) {
                Tuple3<String, Long, Long> s = seen.get(i);
                long start = sliceStart(s.f1);
                if (s.f2 >= start && laterInSameSlice(seen, i)) {
                    movedWithin++;
                }
            }
            System.out.printf("logs that saw the watermark inside their own, unfinished slice: %d%n", movedWithin);
            assertThat(movedWithin).as("logs that saw event time move inside their own, unfinished slice")
                    .isGreaterThan(100);
        }
    }

    private static long sliceStart(long t) {
        long from = FROM.toEpochMilli();
        long slice = SLICE.toMillis();
        return from + Math.floorDiv(t - from, slice) * slice;
    }

    private static boolean laterInSameSlice(List<Tuple3<String, Long, Long>> seen, int i) {
        Tuple3<String, Long, Long> s = seen.get(i);
        long start = sliceStart(s.f1);
        for (int j = i + 1; j < seen.size(); j++) {
            Tuple3<String, Long, Long> o = seen.get(j);
            if (o.f0.equals(s.f0) && sliceStart(o.f1) == start) {
                return true;
            }
        }
        return false;
    }
}
