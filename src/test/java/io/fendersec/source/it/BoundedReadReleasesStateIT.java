package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fendersec.model.LogRecord;
import io.fendersec.source.BugfenderSource;

/**
 * Issue 26 §1: in a bounded run, keyed state that waits for the watermark is released while the range
 * is read, not all at the end. A long range (one day, read as one slice, as the hour is) goes
 * through a keyed stage that keeps every log in keyed state until the watermark passes its time, as
 * the correlate stage keeps its waiting hits; the most logs ever held at once must stay a small part
 * of the day (a few pages in flight), not grow with the logs read.
 *
 * <p>Catches: a bounded slice that holds its watermark at its start until it ends (every log of the
 * day waits: the most held equals the logs read), and a frontier that waits for a reader that has
 * already finished (the second reader gets no slice and ends at once).
 */
class BoundedReadReleasesStateIT {
    private static final Instant END = Instant.parse("2026-02-01T00:00:00Z");
    /** Logs waiting in keyed state now, and the most ever, over the job's subtasks (one JVM). */
    static final AtomicLong WAITING = new AtomicLong();
    static final AtomicLong MOST_WAITING = new AtomicLong();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Keeps each log in keyed state until the watermark passes it, like a waiting hit. */
    static final class WaitForWatermark extends KeyedProcessFunction<String, LogRecord, Long> {
        private transient ValueState<Long> waiting;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            waiting = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting", Types.LONG));
        }

        @Override
        public void processElement(LogRecord log, Context ctx, Collector<Long> out) throws Exception {
            waiting.update(ctx.timestamp());
            ctx.timerService().registerEventTimeTimer(ctx.timestamp());
            long now = WAITING.incrementAndGet();
            MOST_WAITING.accumulateAndGet(now, Math::max);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Long> out) throws Exception {
            if (waiting.value() != null) {
                waiting.clear();
                WAITING.decrementAndGet();
                out.collect(timestamp);
            }
        }
    }

    @Test
    void keyedStateWaitingForTheWatermarkIsReleasedWhileALongRangeIsRead() throws Exception {
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(5).apps(1).days(1).end(END).logsPerDay(6_000))) {
            BugfenderSource source = BugfenderSource.builder().clientSettings(f.clientSettings()).bounded()
                    .from(END.minus(Duration.ofDays(1))).to(END).slice(Duration.ofDays(1)).pageSize(50).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
            env.setParallelism(2);
            List<Long> released = env.fromSource(source, source.watermarkStrategy(), "bugfender")
                    .keyBy(log -> log.uuid() == null ? "" : log.uuid(), Types.STRING)
                    .process(new WaitForWatermark()).returns(Types.LONG).executeAndCollect(100_000);

            long most = MOST_WAITING.get();
            System.out.printf("logs read: %d, most waiting at once: %d%n", released.size(), most);
            assertThat(released).as("every log waited and was released").hasSizeGreaterThan(5_000);
            assertThat(WAITING.get()).isZero();
            // 50 logs a page; the fetcher runs a few pages ahead of the emitter and a frontier makes a
            // round trip: a few hundred at most. Held at the slice start, all ~6,000 would wait.
            assertThat(most).as("most logs waiting at once, of %d", released.size())
                    .isLessThan(released.size() / 5);
        }
    }
}
