package io.fendersec.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.source.BugfenderSource;
import io.fendersec.source.BugfenderSourceBuilder;
import io.fendersec.source.FakePagedApi;
import io.fendersec.source.SharedApi;
import io.fendersec.source.split.BugfenderSplit;

/** Planning and assignment, with Flink's testing enumerator context; the API is the in-memory fake. */
class BugfenderSplitEnumeratorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private FakePagedApi api;

    @BeforeEach
    void setUp() {
        api = new FakePagedApi();
    }

    private static ClientSettings client() {
        return ClientSettings.builder().baseUrl("http://127.0.0.1:1").auth(AuthSettings.builder()
                .method(AuthSettings.Method.CLIENT_SECRET).clientId("c").clientSecret(SecretRef.env("X")).build())
                .build();
    }

    private BugfenderSourceBuilder builder() {
        return BugfenderSource.builder().clientSettings(client()).apiFactory((s, m) -> api).from(T0);
    }

    private BugfenderSplitEnumerator enumerator(TestingSplitEnumeratorContext<BugfenderSplit> ctx,
            BugfenderSource source, BugfenderEnumState restored) {
        return new BugfenderSplitEnumerator(ctx, source.settings(), source.range(),
                new SharedApi((s, m) -> api, null, null),
                () -> T0.plusSeconds(10 * 3600), restored);
    }

    private static void runAsyncWork(TestingSplitEnumeratorContext<?> ctx) {
        for (int i = 0; i < 10; i++) {
            ctx.triggerAllActions();
        }
    }

    private void logsIn(String app, int hour) {
        api.append(app, List.of(FakePagedApi.log(app, app + "-" + hour, T0.plusSeconds(hour * 3600L + 60))));
    }

    @Test
    void boundedSlicesGoOutOldestFirstAcrossAppsThenNoMoreSplits() {
        for (int h = 0; h < 3; h++) {
            logsIn("a", h);
            logsIn("b", h);
        }
        api.addApp("quiet"); // no logs: its empty slices get no split at all
        BugfenderSource source = builder().bounded().to(T0.plusSeconds(3 * 3600)).slice(Duration.ofHours(1))
                .build();
        var ctx = new TestingSplitEnumeratorContext<BugfenderSplit>(2);
        ctx.registerReader(0, "h");
        ctx.registerReader(1, "h");
        var e = enumerator(ctx, source, null);
        e.start();
        e.handleSplitRequest(0, "h"); // before any snapshot is fixed: the reader waits
        assertThat(ctx.getSplitAssignments()).isEmpty();
        runAsyncWork(ctx);

        for (int i = 0; i < 6; i++) {
            e.handleSplitRequest(0, "h"); // one more than there are splits: the last answer is "no more"
        }
        List<BugfenderSplit> got = ctx.getSplitAssignments().get(0).getAssignedSplits();
        assertThat(got).extracting(BugfenderSplit::splitId).containsExactly(
                "a@2026-03-01T00:00:00Z/2026-03-01T01:00:00Z", "b@2026-03-01T00:00:00Z/2026-03-01T01:00:00Z",
                "a@2026-03-01T01:00:00Z/2026-03-01T02:00:00Z", "b@2026-03-01T01:00:00Z/2026-03-01T02:00:00Z",
                "a@2026-03-01T02:00:00Z/2026-03-01T03:00:00Z", "b@2026-03-01T02:00:00Z/2026-03-01T03:00:00Z");
        assertThat(got).allMatch(sp -> !sp.inTail() && sp.offset() == 0 && !sp.url().equals(sp.tailUrl()));
        assertThat(ctx.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        e.handleSplitRequest(1, "h");
        assertThat(ctx.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(ctx.getSplitAssignments().get(1).getAssignedSplits()).isEmpty();
    }

    @Test
    void splitsAddedBackAreHandedOutAgainWithTheirPosition() {
        logsIn("a", 0);
        logsIn("a", 1);
        BugfenderSource source = builder().bounded().apps("a").to(T0.plusSeconds(2 * 3600)).build();
        var ctx = new TestingSplitEnumeratorContext<BugfenderSplit>(2);
        ctx.registerReader(0, "h");
        ctx.registerReader(1, "h");
        var e = enumerator(ctx, source, null);
        e.start();
        runAsyncWork(ctx);
        e.handleSplitRequest(0, "h");
        BugfenderSplit first = ctx.getSplitAssignments().get(0).getAssignedSplits().get(0);
        BugfenderSplit progressed = first.withPosition(first.url(), 1, false);
        e.addSplitsBack(List.of(progressed), 0);
        e.handleSplitRequest(1, "h");
        assertThat(ctx.getSplitAssignments().get(1).getAssignedSplits()).containsExactly(progressed);
        e.handleSplitRequest(1, "h");
        e.handleSplitRequest(1, "h");
        assertThat(ctx.getSplitAssignments().get(1).getAssignedSplits()).hasSize(2);
        assertThat(ctx.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isTrue();
    }

    @Test
    void continuousDiscoveryAddsASplitForANewAppToItsOwner() {
        logsIn("a", 0);
        BugfenderSource source = builder().continuous().build();
        var ctx = new TestingSplitEnumeratorContext<BugfenderSplit>(3);
        for (int i = 0; i < 3; i++) {
            ctx.registerReader(i, "h");
        }
        var e = enumerator(ctx, source, null);
        e.start();
        runAsyncWork(ctx);
        assertThat(assignedIds(ctx)).containsExactly(BugfenderSplit.idFor(
                io.fendersec.api.LogQuery.builder("a", T0).pageSize(1000).build(), false));

        api.addApp("new-app");
        runAsyncWork(ctx); // the periodic discovery runs again
        assertThat(assignedIds(ctx)).hasSize(2).anyMatch(id -> id.startsWith("new-app@"));
        int owner = BugfenderSplitEnumerator.ownerOf("new-app", 3);
        assertThat(ctx.getSplitAssignments().get(owner).getAssignedSplits()).anyMatch(s -> s.appId().equals("new-app"));
        assertThat(ctx.getSplitAssignments().values()).noneMatch(s -> s.hasReceivedNoMoreSplitsSignal());
        BugfenderSplit newSplit = ctx.getSplitAssignments().get(owner).getAssignedSplits().stream()
                .filter(s -> s.appId().equals("new-app")).findFirst().orElseThrow();
        assertThat(newSplit.inTail()).as("an empty app starts right at its tail").isTrue();
    }

    @Test
    void restoredStateKeepsPendingAndUnassignedWorkAndDoesNotReplanKnownApps() {
        logsIn("a", 0);
        logsIn("b", 0);
        BugfenderSource source = builder().bounded().to(T0.plusSeconds(3600)).build();
        var ctx = new TestingSplitEnumeratorContext<BugfenderSplit>(1);
        ctx.registerReader(0, "h");
        var e = enumerator(ctx, source, null);
        e.start();
        runAsyncWork(ctx);
        e.handleSplitRequest(0, "h");
        BugfenderEnumState state = e.snapshotState(1);
        assertThat(state.initialDiscoveryDone()).isTrue();
        assertThat(state.knownApps()).containsExactlyInAnyOrder("a", "b");
        assertThat(state.unassignedSplits()).hasSize(1);

        var ctx2 = new TestingSplitEnumeratorContext<BugfenderSplit>(1);
        ctx2.registerReader(0, "h");
        var restored = enumerator(ctx2, source, state);
        restored.start();
        runAsyncWork(ctx2);
        restored.handleSplitRequest(0, "h");
        restored.handleSplitRequest(0, "h");
        assertThat(ctx2.getSplitAssignments().get(0).getAssignedSplits()).containsExactlyElementsOf(state.unassignedSplits());
        assertThat(ctx2.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
    }

    private static List<String> assignedIds(TestingSplitEnumeratorContext<BugfenderSplit> ctx) {
        return ctx.getSplitAssignments().values().stream().flatMap(s -> s.getAssignedSplits().stream())
                .map(BugfenderSplit::splitId).collect(Collectors.toList());
    }
}
