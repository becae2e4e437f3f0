package io.fendersec.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fendersec.api.LogQuery;
import io.fendersec.api.PagingContract;
import io.fendersec.model.LogRecord;
import io.fendersec.source.FakePagedApi;
import io.fendersec.source.SharedApi;
import io.fendersec.source.split.BugfenderSplit;
import io.fendersec.source.split.BugfenderSplitSerializer;
import io.fendersec.source.split.BugfenderSplitState;

/**
 * Position logic of fetcher + emitter + split state, as the reader runs them, against an in-memory
 * API that follows the paging contract. A "checkpoint" is {@code state.toSplit()} taken between two
 * emitted elements, exactly where Flink can take it; a "restore" is a fresh split reader and state.
 */
class BugfenderSplitReaderTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String APP = "app1";

    private FakePagedApi api;

    @BeforeEach
    void setUp() {
        api = new FakePagedApi();
    }

    private List<LogRecord> logs(int from, int count, Instant base) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> FakePagedApi.log(APP, "u" + i, base.plusSeconds(i)))
                .collect(Collectors.toList());
    }

    private BugfenderSplit newSplit(boolean bounded, Instant to, int pageSize) {
        LogQuery q = LogQuery.builder(APP, T0).to(to).pageSize(pageSize).build();
        var first = api.firstPage(q);
        return BugfenderSplit.atStart(q, bounded, PagingContract.start(first), PagingContract.tail(first));
    }

    /** A reader over one split: fetches and emits, element by element, so it can stop anywhere. */
    private final class Harness {
        final BugfenderSplitReader fetcher;
        final BugfenderSplitState state;
        final BugfenderRecordEmitter emitter = new BugfenderRecordEmitter(Duration.ofMinutes(10), Duration.ofMinutes(5));
        final CapturingOutput out = new CapturingOutput();
        final SimpleCounter pages = new SimpleCounter();
        final AtomicLong clock = new AtomicLong();
        final Duration poll;
        RecordsWithSplitIds<PagedRecord> batch;
        String current;
        boolean finished;

        Harness(BugfenderSplit split, Duration poll) {
            this.poll = poll;
            fetcher = new BugfenderSplitReader(new SharedApi((s, m) -> api, null, null), poll, pages, clock::get);
            fetcher.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            state = new BugfenderSplitState(split);
        }

        private Harness(Harness other, BugfenderSplit split) {
            this.poll = other.poll;
            this.fetcher = other.fetcher;
            this.state = new BugfenderSplitState(split);
        }

        /** Another split already added to this harness's fetcher (its pages count on this harness's counter). */
        Harness forSplit(BugfenderSplit split) {
            return new Harness(this, split);
        }

        /** Lets the poll interval pass (on the fetcher's clock, not by sleeping). */
        void pollIntervalPasses() {
            clock.addAndGet(poll.toNanos());
        }

        /** Emits logs until {@code logs} more were emitted, or nothing is available now. */
        void emit(int logs) throws Exception {
            int target = out.records.size() + logs;
            while (out.records.size() < target && !finished) {
                if (batch == null) {
                    // Never block the test: a fetch with nothing due returns at once, without a request.
                    fetcher.wakeUp();
                    int requests = api.requests.get();
                    batch = fetcher.fetch();
                    boolean requested = api.requests.get() > requests;
                    int before = out.records.size();
                    drainBatch(target);
                    if (!requested && out.records.size() == before && !finished) {
                        return; // nothing due now: a quiet tail waiting for its poll interval
                    }
                } else {
                    drainBatch(target);
                }
            }
        }

        /** Emits from the current batch until it is used up (then batch = null) or the target is reached. */
        private void drainBatch(int target) throws Exception {
            while (batch != null && out.records.size() < target) {
                if (current == null) {
                    current = batch.nextSplit();
                    if (current == null) {
                        finished |= batch.finishedSplits().contains(state.splitId());
                        batch = null;
                        return;
                    }
                }
                PagedRecord r = batch.nextRecordFromSplit();
                if (r == null) {
                    current = null;
                    continue;
                }
                emitter.emitRecord(r, out, state);
            }
        }

        List<String> uuids() {
            return out.records.stream().map(LogRecord::uuid).collect(Collectors.toList());
        }
    }

    @Test
    void boundedSliceReadsTheSnapshotOncePerLogAndFinishesAtTheTail() throws Exception {
        api.append(APP, logs(0, 25, T0));
        BugfenderSplit split = newSplit(true, T0.plusSeconds(3600), 10);
        api.append(APP, logs(100, 5, T0)); // arrived after the snapshot: not in a bounded read
        Harness h = new Harness(split, Duration.ofHours(1));
        h.emit(1000);
        assertThat(h.finished).isTrue();
        assertThat(h.uuids()).hasSize(25).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 25).mapToObj(i -> "u" + i).toList());
        assertThat(h.pages.getCount()).isEqualTo(3);
    }

    @Test
    void restoreMidPageResumesExactly() throws Exception {
        api.append(APP, logs(0, 25, T0));
        BugfenderSplit split = newSplit(true, T0.plusSeconds(3600), 10);
        Harness full = new Harness(split, Duration.ofHours(1));
        full.emit(1000);

        Harness before = new Harness(split, Duration.ofHours(1));
        before.emit(13); // the oldest page (5 logs), then 8 of the next
        BugfenderSplit checkpoint = before.state.toSplit();
        assertThat(checkpoint.offset()).isEqualTo(8);

        Harness after = new Harness(checkpoint, Duration.ofHours(1));
        after.emit(1000);
        List<String> both = new ArrayList<>(before.uuids());
        both.addAll(after.uuids());
        assertThat(both).isEqualTo(full.uuids());
        assertThat(after.finished).isTrue();
    }

    @Test
    void restoreAtTheEndOfAPageBeforeAndAfterTheAdvanceMarker() throws Exception {
        api.append(APP, logs(0, 25, T0));
        BugfenderSplit split = newSplit(true, T0.plusSeconds(3600), 10);
        Harness full = new Harness(split, Duration.ofHours(1));
        full.emit(1000);

        Harness before = new Harness(split, Duration.ofHours(1));
        before.emit(5); // all of the oldest page, which holds the 25 % 10 oldest logs
        BugfenderSplit advanced = before.state.toSplit();
        assertThat(advanced.offset()).as("the page's last log moved the position on").isZero();
        assertThat(advanced.url()).isNotEqualTo(split.url());
        // (page, size) is what a restored split holds until its next page's first log: also exact.
        BugfenderSplit atEnd = split.withPosition(split.url(), 5, false);

        for (BugfenderSplit restoredFrom : List.of(atEnd, advanced)) {
            Harness after = new Harness(restoredFrom, Duration.ofHours(1));
            after.emit(1000);
            List<String> both = new ArrayList<>(before.uuids());
            both.addAll(after.uuids());
            assertThat(both).isEqualTo(full.uuids());
        }
    }

    @Test
    void tailPageThatGainsLogsAfterACheckpointIsReadOnceEach() throws Exception {
        api.append(APP, logs(0, 5, T0.plusSeconds(5 * 3600)));
        BugfenderSplit split = newSplit(false, null, 10);
        Harness h = new Harness(split, Duration.ofHours(1));
        h.emit(1000);
        assertThat(h.uuids()).hasSize(5);
        assertThat(h.state.inTail()).isTrue();

        api.append(APP, logs(5, 3, T0.plusSeconds(3600))); // late uploads: device time hours older
        h.pollIntervalPasses();
        h.emit(2);
        BugfenderSplit checkpoint = h.state.toSplit(); // (tail page, 2): mid-page, the page had 3
        assertThat(checkpoint.inTail()).isTrue();
        assertThat(checkpoint.offset()).isEqualTo(2);

        api.append(APP, logs(8, 4, T0)); // the same tail page now holds 3 + 4 logs: skip 2 on restore
        Harness after = new Harness(checkpoint, Duration.ofHours(1));
        after.emit(1000);
        List<String> all = new ArrayList<>(h.uuids());
        all.addAll(after.uuids());
        assertThat(all).containsExactlyElementsOf(expectedOrder());
    }

    /** Snapshot newest first within its one page, then tail in arrival order. */
    private static List<String> expectedOrder() {
        List<String> out = new ArrayList<>(List.of("u4", "u3", "u2", "u1", "u0"));
        IntStream.range(5, 12).forEach(i -> out.add("u" + i));
        return out;
    }

    @Test
    void quietTailWaitsForThePollIntervalButWakeUpEndsTheWait() throws Exception {
        BugfenderSplit split = newSplit(false, null, 10);
        Harness h = new Harness(split, Duration.ofHours(1));
        h.emit(1); // the empty tail page: nothing, and the split is now due in an hour
        int requests = api.requests.get();
        CompletableFuture<RecordsWithSplitIds<PagedRecord>> fetch =
                CompletableFuture.supplyAsync(() -> h.fetcher.fetch());
        h.fetcher.wakeUp();
        RecordsWithSplitIds<PagedRecord> r = fetch.get(30, TimeUnit.SECONDS);
        assertThat(r.nextSplit()).isNull();
        assertThat(api.requests.get()).as("no request before the poll interval").isEqualTo(requests);
    }

    @Test
    void emitterWatermarksFollowBoundedSlicesUpToTheFrontierAndTrailTails() throws Exception {
        api.append(APP, logs(0, 5, T0.plusSeconds(600)));
        // Bounded slice (issue 26 §1): no watermark before the enumerator's read frontier arrives; then
        // the older of the frontier and the floor of the page being emitted (pages rise: 600 s, then
        // 601 or 602 s, then 603 or 604 s). Catches: a slice held at its start until it ends (one
        // watermark at T0 - 1), and a slice that follows its own pages past the frontier (its last
        // watermark would be the last page's floor, past 602 s, where another reader's slice is).
        Harness bounded = new Harness(newSplit(true, T0.plusSeconds(3600), 2), Duration.ofHours(1));
        bounded.emit(1);
        assertThat(bounded.out.watermarks).as("no frontier yet").isEmpty();
        bounded.emitter.frontier(T0.plusSeconds(602).toEpochMilli());
        bounded.emit(1000);
        assertThat(bounded.out.watermarks).isSorted().hasSizeGreaterThan(1)
                .endsWith(T0.plusSeconds(602).toEpochMilli() - 1);
        assertThat(bounded.out.watermarks.get(0)).isBetween(T0.plusSeconds(600).toEpochMilli() - 1,
                T0.plusSeconds(601).toEpochMilli() - 1);

        Harness continuous = new Harness(newSplit(false, null, 2), Duration.ofHours(1));
        continuous.emit(1000);
        // snapshot pages: each page's lowest time, rising
        assertThat(continuous.out.watermarks).isSorted().first()
                .isEqualTo(T0.plusSeconds(600).toEpochMilli() - 1);
        api.append(APP, logs(50, 1, T0.plusSeconds(3 * 3600)));
        continuous.pollIntervalPasses();
        continuous.emit(1);
        long newest = T0.plusSeconds(3 * 3600 + 50).toEpochMilli();
        assertThat(continuous.out.watermarks).last().isEqualTo(newest - Duration.ofMinutes(10).toMillis() - 1);
        assertThat(continuous.out.timestamps).last().isEqualTo(newest);
    }

    // ---- the second reading of the paging contract: older snapshot pages carry no 'previous' ----

    /** Restores through the real serializer, as a checkpoint does. */
    private static BugfenderSplit viaCheckpoint(BugfenderSplit s) throws Exception {
        var ser = BugfenderSplitSerializer.INSTANCE;
        return ser.deserialize(ser.getVersion(), ser.serialize(s));
    }

    @ParameterizedTest(name = "previous on first answer only: {0}")
    @ValueSource(booleans = {false, true})
    void boundedSliceIsReadOncePerLogUnderBothReadings(boolean firstOnly) throws Exception {
        if (firstOnly) {
            api.previousOnFirstAnswerOnly();
        }
        api.append(APP, logs(0, 25, T0));
        BugfenderSplit split = newSplit(true, T0.plusSeconds(3600), 10);
        api.append(APP, logs(100, 5, T0)); // arrives after the enumerator fixed the snapshot
        Harness h = new Harness(split, Duration.ofHours(1));
        h.emit(1000);
        assertThat(h.finished).isTrue();
        assertThat(h.uuids()).doesNotHaveDuplicates();
        if (firstOnly) {
            // newest first from a snapshot the reader fixed again: it also holds the later arrivals
            assertThat(h.uuids()).hasSize(30).containsAll(IntStream.range(0, 25).mapToObj(i -> "u" + i).toList());
            assertThat(h.pages.getCount()).as("probe of the oldest page, the new fix, 2 older pages").isEqualTo(4);
            assertThat(h.state.toSplit().newestFirst()).isTrue();
        } else {
            assertThat(h.uuids()).hasSize(25);
            assertThat(h.pages.getCount()).isEqualTo(3);
        }
    }

    /**
     * A checkpoint after every number of emitted logs, restored through the serializer, with logs
     * arriving in between: each log of the slice is emitted exactly once, whatever the reading.
     */
    @ParameterizedTest(name = "previous on first answer only: {0}")
    @ValueSource(booleans = {false, true})
    void restoreAfterAnyNumberOfLogsIsExactUnderBothReadings(boolean firstOnly) throws Exception {
        for (int k = 0; k <= 25; k++) {
            api = firstOnly ? new FakePagedApi().previousOnFirstAnswerOnly() : new FakePagedApi();
            api.append(APP, logs(0, 25, T0));
            BugfenderSplit split = newSplit(true, T0.plusSeconds(3600), 10);
            Harness before = new Harness(split, Duration.ofHours(1));
            before.emit(k);
            BugfenderSplit checkpoint = viaCheckpoint(before.state.toSplit());
            api.append(APP, logs(200, 3, T0.plusSeconds(100))); // late uploads inside the slice, newest on page 1

            Harness after = new Harness(checkpoint, Duration.ofHours(1));
            after.emit(1000);
            List<String> both = new ArrayList<>(before.uuids());
            both.addAll(after.uuids());
            assertThat(after.finished).as("k=%d", k).isTrue();
            assertThat(both).as("k=%d", k).doesNotHaveDuplicates()
                    .containsAll(IntStream.range(0, 25).mapToObj(i -> "u" + i).toList());
            if (!firstOnly) {
                assertThat(both).as("oldest first reads the snapshot fixed at the start").hasSize(25);
            }
        }
    }

    @Test
    void newestFirstContinuousSplitGoesOnWithTheTailAndRestoresExactlyAnywhere() throws Exception {
        for (int k = 0; k <= 30; k++) {
            api = new FakePagedApi().previousOnFirstAnswerOnly();
            api.append(APP, logs(0, 25, T0));
            BugfenderSplit split = newSplit(false, null, 10);
            api.append(APP, logs(100, 5, T0.plusSeconds(7200))); // after the enumerator's snapshot
            Harness before = new Harness(split, Duration.ofHours(1));
            before.emit(k);
            BugfenderSplit checkpoint = viaCheckpoint(before.state.toSplit());
            api.append(APP, logs(200, 4, T0.plusSeconds(50)));

            Harness after = new Harness(checkpoint, Duration.ofHours(1));
            after.emit(1000);
            after.pollIntervalPasses();
            after.emit(1000);
            List<String> both = new ArrayList<>(before.uuids());
            both.addAll(after.uuids());
            List<String> expected = new ArrayList<>();
            IntStream.range(0, 25).forEach(i -> expected.add("u" + i));
            IntStream.range(100, 105).forEach(i -> expected.add("u" + i));
            IntStream.range(200, 204).forEach(i -> expected.add("u" + i));
            assertThat(both).as("k=%d", k).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(after.state.inTail()).as("k=%d", k).isTrue();
        }
    }

    @Test
    void aReaderThatLearntTheSecondReadingDoesNotProbeAgain() throws Exception {
        api.previousOnFirstAnswerOnly();
        api.append(APP, logs(0, 25, T0));
        Harness first = new Harness(newSplit(true, T0.plusSeconds(3600), 10), Duration.ofHours(1));
        first.emit(1000);
        assertThat(first.pages.getCount()).isEqualTo(4);
        // a second split on the same reader's client (SharedApi): no probe of its oldest page
        BugfenderSplit second = newSplit(true, T0.plusSeconds(3600), 10);
        first.fetcher.handleSplitsChanges(new SplitsAddition<>(List.of(second)));
        Harness h2 = first.forSplit(second);
        h2.emit(1000);
        assertThat(h2.uuids()).hasSize(25).doesNotHaveDuplicates();
        assertThat(first.pages.getCount()).as("3 more: the fix and 2 older pages").isEqualTo(7);
    }

    @Test
    void newestFirstSnapshotHoldsTheWatermarkAtTheRangeStartUntilTheTail() throws Exception {
        api.previousOnFirstAnswerOnly();
        api.append(APP, logs(0, 5, T0.plusSeconds(600)));
        Harness continuous = new Harness(newSplit(false, null, 2), Duration.ofHours(1));
        continuous.emit(1000);
        assertThat(continuous.out.records).hasSize(5);
        assertThat(continuous.out.watermarks).containsExactly(T0.toEpochMilli() - 1);
        api.append(APP, logs(50, 1, T0.plusSeconds(3 * 3600)));
        continuous.pollIntervalPasses();
        continuous.emit(1);
        long newest = T0.plusSeconds(3 * 3600 + 50).toEpochMilli();
        assertThat(continuous.out.watermarks).last().isEqualTo(newest - Duration.ofMinutes(10).toMillis() - 1);
    }

    static final class CapturingOutput implements SourceOutput<LogRecord> {
        final List<LogRecord> records = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void collect(LogRecord record) {
            throw new AssertionError("the emitter must always give a timestamp");
        }

        @Override
        public void collect(LogRecord record, long timestamp) {
            records.add(record);
            timestamps.add(timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
