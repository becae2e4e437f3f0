package io.fendersec.source;

import java.time.Instant;
import java.util.function.Supplier;

import org.apache.flink.api.common.eventtime.NoWatermarksGenerator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;
import io.fendersec.source.enumerator.BugfenderEnumState;
import io.fendersec.source.enumerator.BugfenderEnumStateSerializer;
import io.fendersec.source.enumerator.BugfenderSplitEnumerator;
import io.fendersec.source.reader.BugfenderRecordEmitter;
import io.fendersec.source.reader.CaughtUpTails;
import io.fendersec.source.reader.BugfenderSourceReader;
import io.fendersec.source.reader.BugfenderSplitReader;
import io.fendersec.source.reader.PagedRecord;
import io.fendersec.source.split.BugfenderSplit;
import io.fendersec.source.split.BugfenderSplitSerializer;
import io.fendersec.source.token.BorrowedTokens;

/**
 * Reads Bugfender logs into Flink, exactly once: bounded (time slices of a snapshot fixed at job
 * start) or continuous (snapshot, then the live tail). Build it with {@link #builder()}; use it with
 * {@code env.fromSource(source, source.watermarkStrategy(), "bugfender")}.
 *
 * <p>What travels in the job graph is this object: client settings (references to secrets, never
 * secrets), source settings, the resolved range and the client factory. The client is built where
 * it is used: once in the enumerator and once per reader.
 */
public final class BugfenderSource
        implements Source<LogRecord, BugfenderSplit, BugfenderEnumState>, ResultTypeQueryable<LogRecord> {
    private static final long serialVersionUID = 1L;

    private final ClientSettings client;
    private final SourceSettings settings;
    private final ReadRange range;
    private final ApiFactory apiFactory;

    BugfenderSource(ClientSettings client, SourceSettings settings, ReadRange range, ApiFactory apiFactory) {
        this.client = client;
        this.settings = settings;
        this.range = range;
        this.apiFactory = apiFactory;
    }

    public static BugfenderSourceBuilder builder() {
        return new BugfenderSourceBuilder();
    }

    public SourceSettings settings() {
        return settings;
    }

    public ReadRange range() {
        return range;
    }

    public ClientSettings clientSettings() {
        return client;
    }

    /**
     * The strategy to pass to {@code fromSource}. Watermarks themselves come from the source's
     * emitter, split by split (see {@link BugfenderRecordEmitter}); this strategy adds only idleness,
     * so a quiet app does not hold back event time. A strategy that generates watermarks of its own
     * (e.g. bounded out-of-orderness) would overrule the slice holds and make snapshot logs late.
     */
    public WatermarkStrategy<LogRecord> watermarkStrategy() {
        WatermarkStrategy<LogRecord> base = WatermarkStrategy.forGenerator(ctx -> new NoWatermarksGenerator<>());
        return base.withIdleness(settings.idleness());
    }

    @Override
    public Boundedness getBoundedness() {
        return settings.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<LogRecord, BugfenderSplit> createReader(SourceReaderContext context) {
        BorrowedTokens tokens = lendsTokens()
                ? new BorrowedTokens(context::sendSourceEventToCoordinator, client.auth().clientId()) : null;
        SharedApi api = new SharedApi(apiFactory, client, new FlinkClientMetrics(context.metricGroup()), tokens);
        Counter pages = context.metricGroup().counter("pagesFetched", new ThreadSafeSimpleCounter());
        CaughtUpTails caughtUp = new CaughtUpTails();
        Supplier<SplitReader<PagedRecord, BugfenderSplit>> splitReaders =
                () -> new BugfenderSplitReader(api, settings.pollInterval(), pages, caughtUp);
        return new BugfenderSourceReader(splitReaders,
                new BugfenderRecordEmitter(settings.maxOutOfOrderness(), settings.maxClockSkew(),
                        context.metricGroup().counter("appMismatch")), caughtUp,
                context.getConfiguration(), context, api, tokens, settings.bounded());
    }

    /**
     * A rotating refresh token may be redeemed by one process only: the enumerator holds it and
     * lends access tokens to the readers (see {@code io.fendersec.source.token}). The other sign-in
     * methods have nothing to rotate, and each reader signs in itself.
     */
    private boolean lendsTokens() {
        return client.auth().method() == AuthSettings.Method.REFRESH_TOKEN;
    }

    @Override
    public SplitEnumerator<BugfenderSplit, BugfenderEnumState> createEnumerator(
            SplitEnumeratorContext<BugfenderSplit> context) {
        return restoreEnumerator(context, null);
    }

    @Override
    public SplitEnumerator<BugfenderSplit, BugfenderEnumState> restoreEnumerator(
            SplitEnumeratorContext<BugfenderSplit> context, BugfenderEnumState checkpoint) {
        SharedApi api = new SharedApi(apiFactory, client, new FlinkClientMetrics(context.metricGroup()));
        return new BugfenderSplitEnumerator(context, settings, range, api, Instant::now, checkpoint, lendsTokens());
    }

    @Override
    public SimpleVersionedSerializer<BugfenderSplit> getSplitSerializer() {
        return BugfenderSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<BugfenderEnumState> getEnumeratorCheckpointSerializer() {
        return new BugfenderEnumStateSerializer();
    }

    @Override
    public TypeInformation<LogRecord> getProducedType() {
        return LogRecordTypeInfo.INSTANCE;
    }

    @Override
    public String toString() {
        return "BugfenderSource{" + client + ", " + settings + ", " + range + "}";
    }
}
