package io.fendersec.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

import io.fendersec.api.LogQuery;
import io.fendersec.api.PagingContract;
import io.fendersec.model.LogRecord;
import io.fendersec.source.FakePagedApi;
import io.fendersec.source.SharedApi;
import io.fendersec.source.split.BugfenderSplit;
import io.fendersec.source.split.BugfenderSplitState;

/**
 * Event time is the device's claim, bounded by what the reader saw (issue #13): the device and its
 * clock may belong to the attacker.
 */
class EventTimeBoundTest {
    private static final String APP = "app1";
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant FETCHED = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration OOO = Duration.ofSeconds(5);
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final FakePagedApi api = new FakePagedApi();
    private final BugfenderRecordEmitter emitter = new BugfenderRecordEmitter(OOO, SKEW);
    private final BugfenderSplitReaderTest.CapturingOutput out = new BugfenderSplitReaderTest.CapturingOutput();

    private BugfenderSplitState tailSplit() {
        LogQuery q = LogQuery.builder(APP, FROM).pageSize(10).build();
        var first = api.firstPage(q);
        return new BugfenderSplitState(BugfenderSplit.atStart(q, false, PagingContract.start(first),
                PagingContract.tail(first)));
    }

    private static LogRecord log(String uuid, String time) {
        return LogRecord.builder().put("uuid", uuid).put("app", APP).put("time", time).build();
    }

    private void emitInTail(BugfenderSplitState state, LogRecord log, int index) {
        emitter.emitRecord(PagedRecord.log(log, state.url(), index, true, PagedRecord.NO_FLOOR,
                FETCHED.toEpochMilli()), out, state);
    }

    @Test
    void aLogDatedPastItsFetchIsAnalyzedAtTheBoundAndKeepsItsClaimedTime() {
        BugfenderSplitState state = tailSplit();
        emitInTail(state, log("forged", "2099-01-01T00:00:00Z"), 0);
        long bound = FETCHED.plus(SKEW).toEpochMilli();
        assertThat(out.timestamps).containsExactly(bound);
        assertThat(out.records.get(0).time()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(out.records.get(0).getString("time")).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(out.watermarks).containsExactly(bound - OOO.toMillis() - 1);

        // An honest log fetched later is at most a few minutes behind that watermark, not 73 years.
        emitInTail(state, log("honest", FETCHED.minusSeconds(30).toString()), 1);
        assertThat(out.timestamps.get(1)).isEqualTo(FETCHED.minusSeconds(30).toEpochMilli());
        assertThat(out.watermarks).hasSize(1);
    }

    @Test
    void aLogWithinTheSkewKeepsItsDeviceTime() {
        BugfenderSplitState state = tailSplit();
        Instant ahead = FETCHED.plus(SKEW).minusSeconds(1);
        emitInTail(state, log("ahead", ahead.toString()), 0);
        assertThat(out.timestamps).containsExactly(ahead.toEpochMilli());
    }

    @Test
    void aSnapshotPageFloorIsBoundedToo() {
        BugfenderSplitState state = tailSplit();
        long floor = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(); // every log on the page forged
        emitter.emitRecord(PagedRecord.log(log("s", "2099-01-01T00:00:00Z"), state.url(), 0, false, floor,
                FETCHED.toEpochMilli()), out, state);
        assertThat(out.watermarks).containsExactly(FETCHED.plus(SKEW).toEpochMilli() - 1);
    }

    @Test
    void aTimeBeyondEpochMillisIsUnparseableAndPlacedAtTheRangeStart() {
        LogRecord far = log("far", "+999999999-12-31T23:59:59.999Z");
        assertThat(far.time()).as("kept, but not a usable event time").isNull();
        assertThat(log("past", "-999999999-01-01T00:00:00Z").time()).isNull();
        BugfenderSplitState state = tailSplit();
        emitInTail(state, far, 0);
        assertThat(out.timestamps).containsExactly(FROM.toEpochMilli());
        assertThat(out.records.get(0).getString("time")).isEqualTo("+999999999-12-31T23:59:59.999Z");
    }

    @Test
    void aQuietTailPollRecordsWhenAndWhereTheFetcherFoundNothingNewer() {
        BugfenderSplitState state = tailSplit();
        CaughtUpTails caughtUp = new CaughtUpTails();
        AtomicLong nanos = new AtomicLong();
        BugfenderSplitReader fetcher = new BugfenderSplitReader(new SharedApi((s, m) -> api, null, null),
                Duration.ofSeconds(1), new SimpleCounter(), nanos::get, FETCHED::toEpochMilli, caughtUp);
        fetcher.handleSplitsChanges(new SplitsAddition<>(List.of(state.split())));
        fetcher.fetch();
        assertThat(caughtUp.view()).containsEntry(state.splitId(),
                new CaughtUpTails.Quiet(FETCHED.toEpochMilli(), state.url(), 0));
        assertThat(emitter.caughtUpWatermark(FETCHED.toEpochMilli()))
                .isEqualTo(FETCHED.minus(OOO).toEpochMilli() - 1);
    }
}
