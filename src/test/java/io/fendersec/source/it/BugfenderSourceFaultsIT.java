package io.fendersec.source.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fendersec.api.App;
import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.LogQuery;
import io.fendersec.emulator.Faults;
import io.fendersec.emulator.store.PagingLinks;
import io.fendersec.model.LogRecord;
import io.fendersec.source.BugfenderSource;

/**
 * A bounded run through every fault the emulator has (429 with Retry-After, 503, connection resets,
 * bodies cut off before their Content-Length) and 3-second tokens, at parallelism 2: the source
 * must read exactly the snapshot, the same multiset of uuids {@code /logs/download} gives, under
 * both readings of the paging links.
 */
class BugfenderSourceFaultsIT {
    private static final Instant END = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant FROM = END.minus(Duration.ofDays(1));

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** What the clients of the job saw, by event: the MiniCluster runs in this JVM. */
    static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();

    static void count(String what) {
        SEEN.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Passes everything on and counts it; a static method, so the factory captures nothing. */
    static final class Counting implements ClientMetrics {
        private final ClientMetrics next;

        Counting(ClientMetrics next) {
            this.next = next;
        }

        static BugfenderApi create(io.fendersec.api.ClientSettings s, ClientMetrics m) {
            return BugfenderApi.create(s, new Counting(m));
        }

        @Override
        public void apiError(String kind) {
            count("error:" + kind);
            next.apiError(kind);
        }

        @Override
        public void retry(String kind) {
            count("retry:" + kind);
            next.retry(kind);
        }

        @Override
        public void rateLimitWait(long millis) {
            count("rate-limit-wait");
            next.rateLimitWait(millis);
        }

        @Override
        public void tokenRefreshed() {
            count("token");
            next.tokenRefreshed();
        }
    }

    @ParameterizedTest(name = "previous on {0} pages")
    @EnumSource(PagingLinks.class)
    void boundedReadThroughFaultsArchivesExactlyTheSnapshot(PagingLinks links) throws Exception {
        SEEN.clear();
        try (EmulatorFixture f = EmulatorFixture.start(b -> b.seed(11).apps(2).days(1).end(END).logsPerDay(3_000)
                .tokenTtl(Duration.ofSeconds(3)).pagingLinks(links))) {
            f.emulator.setFaults(Faults.builder().seed(5).rateLimit(10).serverErrorEvery(5).resetEvery(7)
                    .truncateEvery(11).tokenTtl(Duration.ofSeconds(3)).build());
            BugfenderSource source = BugfenderSource.builder().clientSettings(f.clientSettings())
                    .apiFactory(Counting::create).bounded().from(FROM).to(END).slice(Duration.ofHours(2))
                    .pageSize(100).build();

            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            long started = System.nanoTime();
            List<String> read = env.fromSource(source, source.watermarkStrategy(), "bugfender")
                    .map(LogRecord::uuid).returns(Types.STRING).executeAndCollect(1_000_000);
            long millis = (System.nanoTime() - started) / 1_000_000;

            f.emulator.setFaults(Faults.none());
            List<String> expected = new ArrayList<>();
            try (BugfenderApi api = BugfenderApi.create(f.clientSettings(), ClientMetrics.NONE)) {
                for (App app : api.apps()) {
                    api.download(LogQuery.builder(app.id(), FROM).to(END).build(), r -> expected.add(r.uuid()));
                }
            }
            System.out.printf("faults run: %d logs in %d ms; client events %s%n", read.size(), millis, SEEN);
            assertThat(expected).hasSizeGreaterThan(1000);
            assertThat(read).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(SEEN).containsKeys("retry:http-5xx", "retry:reset", "retry:truncated", "rate-limit-wait");
            // Three clients (enumerator, two readers) sign in once each; more means tokens expired and were renewed.
            assertThat(SEEN.get("token").get()).isGreaterThan(3);
        }
    }
}
