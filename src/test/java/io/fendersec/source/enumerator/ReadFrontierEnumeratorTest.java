package io.fendersec.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.source.BugfenderSource;
import io.fendersec.source.FakePagedApi;
import io.fendersec.source.SharedApi;
import io.fendersec.source.frontier.ReadFrontier;
import io.fendersec.source.frontier.ReadProgress;
import io.fendersec.source.split.BugfenderSplit;

/**
 * The read frontier of a bounded run (issue 26 §1), driven step by step as two readers would drive
 * it: the oldest point still to be read anywhere, from the slices not handed out yet and the floors
 * the readers report. Every expected frontier below is worked out by hand from the slices.
 */
class ReadFrontierEnumeratorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String A0 = "a@2026-03-01T00:00:00Z/2026-03-01T01:00:00Z";
    private static final String B0 = "b@2026-03-01T00:00:00Z/2026-03-01T01:00:00Z";
    private static final String A1 = "a@2026-03-01T01:00:00Z/2026-03-01T02:00:00Z";
    private static final String B1 = "b@2026-03-01T01:00:00Z/2026-03-01T02:00:00Z";

    private final FakePagedApi api = new FakePagedApi();

    private static long at(int minutes) {
        return T0.plusSeconds(minutes * 60L).toEpochMilli();
    }

    private BugfenderSplitEnumerator start(TestingSplitEnumeratorContext<BugfenderSplit> ctx) {
        for (int h = 0; h < 2; h++) {
            for (String app : List.of("a", "b")) {
                api.append(app, List.of(FakePagedApi.log(app, app + h, T0.plusSeconds(h * 3600L + 60))));
            }
        }
        ClientSettings client = ClientSettings.builder().baseUrl("http://127.0.0.1:1").auth(AuthSettings.builder()
                .method(AuthSettings.Method.CLIENT_SECRET).clientId("c").clientSecret(SecretRef.env("X")).build())
                .build();
        BugfenderSource source = BugfenderSource.builder().clientSettings(client).apiFactory((s, m) -> api).from(T0)
                .bounded().to(T0.plusSeconds(2 * 3600)).slice(Duration.ofHours(1)).build();
        var e = new BugfenderSplitEnumerator(ctx, source.settings(), source.range(),
                new SharedApi((s, m) -> api, null, null), () -> T0.plusSeconds(10 * 3600), null);
        ctx.registerReader(0, "h");
        ctx.registerReader(1, "h");
        e.addReader(0);
        e.addReader(1);
        e.start();
        for (int i = 0; i < 10; i++) {
            ctx.triggerAllActions();
        }
        return e;
    }

    /** The frontiers reader {@code r} was sent, in order, as epoch millis. */
    private static List<Long> frontiers(TestingSplitEnumeratorContext<BugfenderSplit> ctx, int r) {
        List<SourceEvent> events = ctx.getSentEvents().getOrDefault(r, List.of());
        return events.stream().filter(ReadFrontier.class::isInstance).map(ev -> ((ReadFrontier) ev).millis())
                .collect(Collectors.toList());
    }

    private static String lastAssigned(TestingSplitEnumeratorContext<BugfenderSplit> ctx, int r) {
        List<BugfenderSplit> got = ctx.getSplitAssignments().get(r).getAssignedSplits();
        return got.get(got.size() - 1).splitId();
    }

    /**
     * Catches: a frontier that counts only the slices readers hold (forgets those not handed out yet:
     * reader 0 at 1:50 would move it past b's 1:00 slice, whose logs would then all be late), one
     * that does not wait for every reader's first report (a restored reader's slices unknown), and
     * one that follows a single reader's progress (reader 0 at 0:30 while reader 1 is at 0:00).
     */
    @Test
    void frontierIsTheOldestPointStillToBeReadByAnyReader() {
        var ctx = new TestingSplitEnumeratorContext<BugfenderSplit>(2);
        var e = start(ctx);

        e.handleSourceEvent(0, ReadProgress.full(Map.of()));
        assertThat(frontiers(ctx, 0)).as("reader 1 has not said what it holds yet").isEmpty();
        e.handleSourceEvent(1, ReadProgress.full(Map.of()));
        assertThat(frontiers(ctx, 0)).containsExactly(at(0)); // a@0:00 and b@0:00 not handed out
        assertThat(frontiers(ctx, 1)).containsExactly(at(0));

        e.handleSplitRequest(0, "h");
        e.handleSplitRequest(1, "h");
        assertThat(lastAssigned(ctx, 0)).isEqualTo(A0);
        assertThat(lastAssigned(ctx, 1)).isEqualTo(B0);

        e.handleSourceEvent(0, ReadProgress.moved(Map.of(A0, at(30))));
        assertThat(frontiers(ctx, 0)).as("b's first slice is still at 0:00").containsExactly(at(0));
        e.handleSourceEvent(1, ReadProgress.moved(Map.of(B0, at(40))));
        assertThat(frontiers(ctx, 0)).containsExactly(at(0), at(30));
        e.handleSourceEvent(0, ReadProgress.finished(Set.of(A0)));
        assertThat(frontiers(ctx, 0)).containsExactly(at(0), at(30), at(40));

        e.handleSplitRequest(0, "h");
        assertThat(lastAssigned(ctx, 0)).isEqualTo(A1);
        e.handleSourceEvent(1, ReadProgress.finished(Set.of(B0)));
        assertThat(frontiers(ctx, 1)).containsExactly(at(0), at(30), at(40), at(60));
        e.handleSourceEvent(0, ReadProgress.moved(Map.of(A1, at(110))));
        assertThat(frontiers(ctx, 0)).as("b's 1:00 slice is not handed out yet").containsExactly(at(0), at(30),
                at(40), at(60));

        e.handleSplitRequest(1, "h");
        assertThat(lastAssigned(ctx, 1)).isEqualTo(B1);
        e.handleSourceEvent(1, ReadProgress.moved(Map.of(B1, at(100))));
        assertThat(frontiers(ctx, 0)).containsExactly(at(0), at(30), at(40), at(60), at(100));

        // Reader 0 is done and told so: it ends, and an event reaching it as its task finishes would
        // be lost, which Flink answers with a failover (catches: sending to every registered reader).
        e.handleSourceEvent(0, ReadProgress.finished(Set.of(A1)));
        e.handleSplitRequest(0, "h");
        assertThat(ctx.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        e.handleSourceEvent(1, ReadProgress.moved(Map.of(B1, at(110))));
        assertThat(frontiers(ctx, 1)).endsWith(at(110));
        assertThat(frontiers(ctx, 0)).as("nothing for a reader that ends").endsWith(at(100));
    }

    /**
     * Catches: a reader that starts again (its own failover) being trusted with what it reported
     * before: it restores its slice from its checkpoint, behind the floor it had reported, so the
     * frontier must wait for its new full report and the reader must learn the frontier as it is then.
     * Also: a report still in flight for a slice given back must not move the frontier.
     */
    @Test
    void aReaderThatStartsAgainHoldsTheFrontierUntilItHasReported() {
        var ctx = new TestingSplitEnumeratorContext<BugfenderSplit>(2);
        var e = start(ctx);
        e.handleSourceEvent(0, ReadProgress.full(Map.of()));
        e.handleSourceEvent(1, ReadProgress.full(Map.of()));
        e.handleSplitRequest(0, "h");
        e.handleSplitRequest(1, "h");
        e.handleSourceEvent(0, ReadProgress.moved(Map.of(A0, at(20))));
        e.handleSourceEvent(1, ReadProgress.moved(Map.of(B0, at(50))));
        assertThat(frontiers(ctx, 0)).containsExactly(at(0), at(20));

        // Reader 1 fails. B0 was in its last checkpoint: it is restored with the reader, at a
        // position behind 0:50, and not given back (Flink gives back only splits assigned since).
        e.addSplitsBack(List.of(), 1);
        e.addReader(1);
        e.handleSourceEvent(0, ReadProgress.finished(Set.of(A0)));
        assertThat(frontiers(ctx, 0)).as("reader 1 has not reported since it started again")
                .containsExactly(at(0), at(20));
        e.handleSourceEvent(1, ReadProgress.full(Map.of(B0, at(0))));
        assertThat(frontiers(ctx, 1)).as("the restarted reader learns the frontier as it is now").endsWith(at(0));
        assertThat(frontiers(ctx, 0)).containsExactly(at(0), at(20));

        // Then B0 is given back after all: a report for it still in flight changes nothing.
        BugfenderSplit b0 = ctx.getSplitAssignments().get(1).getAssignedSplits().get(0);
        e.addSplitsBack(List.of(b0), 1);
        e.handleSourceEvent(1, ReadProgress.moved(Map.of(B0, at(55))));
        e.handleSplitRequest(0, "h");
        assertThat(lastAssigned(ctx, 0)).isEqualTo(B0);
        assertThat(frontiers(ctx, 0)).as("B0 is unread again from 0:00").containsExactly(at(0), at(20));
    }
}
