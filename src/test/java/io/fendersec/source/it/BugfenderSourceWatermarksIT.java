package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fendersec.model.LogRecord;
import io.fendersec.source.BugfenderSource;

/**
 * The emitter's split-local watermarks reach the stream through {@code source.watermarkStrategy()}:
 * over a bounded read of several slices, event time advances, and no log of the snapshot arrives
 * behind the watermark (slices hold it at their start while they are read).
 */
class BugfenderSourceWatermarksIT {
    private static final Instant END = Instant.parse("2026-02-01T00:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void snapshotLogsAreNeverBehindTheWatermarkAndEventTimeAdvances() throws Exception {
        long s0 = System.nanoTime();
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(3).apps(2).days(1).end(END).logsPerDay(2_000))) {
            System.out.printf("emulator up in %d ms%n", (System.nanoTime() - s0) / 1_000_000);
            BugfenderSource source = BugfenderSource.builder().clientSettings(f.clientSettings()).bounded()
                    .from(END.minus(Duration.ofDays(1))).to(END).slice(Duration.ofHours(3)).pageSize(50).build();
            long t0 = System.nanoTime();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1); // one reader: its watermark is the one its slices hold
            List<Tuple2<Long, Long>> seen = env.fromSource(source, source.watermarkStrategy(), "bugfender")
                    .process(new ProcessFunction<LogRecord, Tuple2<Long, Long>>() {
                        @Override
                        public void processElement(LogRecord log, Context ctx, Collector<Tuple2<Long, Long>> out) {
                            out.collect(Tuple2.of(ctx.timestamp(), ctx.timerService().currentWatermark()));
                        }
                    }).returns(Types.TUPLE(Types.LONG, Types.LONG)).executeAndCollect(100_000);

            System.out.printf("watermarks run: %d logs in %d ms%n", seen.size(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(seen).hasSizeGreaterThan(500);
            assertThat(seen).allSatisfy(s -> assertThat(s.f0).isGreaterThan(s.f1));
            long lastWatermark = seen.get(seen.size() - 1).f1;
            assertThat(lastWatermark).as("event time advanced past the first slices")
                    .isGreaterThanOrEqualTo(END.minus(Duration.ofHours(3)).toEpochMilli() - 1);
        }
    }
}
