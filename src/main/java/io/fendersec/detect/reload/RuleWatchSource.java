package io.fendersec.detect.reload;

import java.util.List;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Watches a continuous job's rule files ({@link WatchedRules}) and emits a {@link RuleSnapshot}
 * whenever they change and still load. Run it with parallelism 1 and broadcast its output to the
 * detection operators. Its reader runs on a TaskManager, so the watched paths must exist there
 * (a local path on a one-machine cluster, a shared one otherwise).
 *
 * <p>Its stream must not hold back event time: a two-input operator's watermark is the smaller of
 * its inputs', and this stream has no event time. {@link #watermarks()} puts it at the end of
 * time at once, so the detection operators' watermark is the logs'.
 */
public final class RuleWatchSource implements Source<RuleSnapshot, RuleWatchSplit, List<RuleWatchSplit>> {
    private static final long serialVersionUID = 1L;

    private final WatchedRules watched;
    private final String initialDigest;

    /** @param initial the snapshot the job was built with: it is not emitted again */
    public RuleWatchSource(WatchedRules watched, RuleSnapshot initial) {
        this.watched = watched;
        this.initialDigest = initial.digest();
    }

    /** A watermark at the end of time from the start: this stream never holds back the logs'. */
    public static WatermarkStrategy<RuleSnapshot> watermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new EndOfTime());
    }

    private static final class EndOfTime implements WatermarkGenerator<RuleSnapshot> {
        private static final Watermark END = new Watermark(Long.MAX_VALUE);

        @Override
        public void onEvent(RuleSnapshot event, long eventTimestamp, WatermarkOutput output) {
            output.emitWatermark(END);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(END);
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RuleSnapshot, RuleWatchSplit> createReader(SourceReaderContext ctx) {
        return new RuleWatchReader(watched, ctx);
    }

    @Override
    public SplitEnumerator<RuleWatchSplit, List<RuleWatchSplit>> createEnumerator(
            SplitEnumeratorContext<RuleWatchSplit> ctx) {
        return new RuleWatchEnumerator(ctx, List.of(new RuleWatchSplit(initialDigest)));
    }

    @Override
    public SplitEnumerator<RuleWatchSplit, List<RuleWatchSplit>> restoreEnumerator(
            SplitEnumeratorContext<RuleWatchSplit> ctx, List<RuleWatchSplit> checkpoint) {
        return new RuleWatchEnumerator(ctx, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RuleWatchSplit> getSplitSerializer() {
        return RuleWatchSplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<RuleWatchSplit>> getEnumeratorCheckpointSerializer() {
        return new RuleWatchEnumerator.StateSerializer();
    }
}
