package io.fendersec.source.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

import io.fendersec.emulator.store.PagingLinks;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;
import io.fendersec.source.BugfenderSource;
import io.fendersec.source.BugfenderSourceBuilder;

/**
 * Flink's connector test suite against a real emulator over HTTP: one emulator per test case (so a
 * source that reads "all apps" sees exactly that case's data), one app per "split" of the suite.
 *
 * <p>The suite expects each split's records in the order written. The source reads a snapshot page
 * newest first and a tail in arrival order, so the data of one write is generated with falling
 * device times and fits one page: both ways then give the written order.
 */
final class BugfenderExternalContext implements DataStreamSourceExternalContext<LogRecord> {
    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant BASE = FROM.plus(Duration.ofHours(6));
    private static final int PAGE_SIZE = 1000;

    private final EmulatorFixture fixture;
    private int writers;

    private final PagingLinks links;

    BugfenderExternalContext(PagingLinks links) {
        this.links = links;
        try {
            fixture = EmulatorFixture.start(b -> b.apps(0).logsPerDay(0).pagingLinks(links));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String appId(int splitIndex) {
        return "suite-app-" + splitIndex;
    }

    @Override
    public Source<LogRecord, ?, ?> createSource(TestingSourceSettings settings) {
        BugfenderSourceBuilder b = BugfenderSource.builder().clientSettings(fixture.clientSettings()).from(FROM)
                .pageSize(PAGE_SIZE).pollInterval(Duration.ofMillis(100)).discoveryInterval(Duration.ofMillis(500));
        if (settings.getBoundedness() == Boundedness.BOUNDED) {
            b.bounded().to(FROM.plus(Duration.ofDays(1))).slice(Duration.ofDays(1));
        } else {
            b.continuous();
        }
        return b.build();
    }

    /** The k-th writer of a test case writes the suite's split k: the suite creates them in split order. */
    @Override
    public ExternalSystemSplitDataWriter<LogRecord> createSourceSplitDataWriter(TestingSourceSettings settings) {
        String app = appId(writers++);
        fixture.emulator.addApp(app, app);
        return new ExternalSystemSplitDataWriter<>() {
            @Override
            public void writeRecords(List<LogRecord> records) {
                fixture.emulator.append(app, records);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public List<LogRecord> generateTestData(TestingSourceSettings settings, int splitIndex, long seed) {
        Random random = new Random(seed);
        int n = 20 + random.nextInt(180);
        String device = "device-" + Long.toHexString(random.nextLong());
        long offsetSeconds = random.nextInt(3600);
        List<LogRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant time = BASE.plusSeconds(offsetSeconds + (n - i)); // falling: newest first
            out.add(LogRecord.builder().put(LogFields.UUID, new UUID(random.nextLong(), random.nextLong()).toString())
                    .put(LogFields.APP, appId(splitIndex)).put(LogFields.DEVICE_UDID, device)
                    .put(LogFields.TEXT, "log " + i + " of " + n).put(LogFields.LOG_LEVEL, (long) random.nextInt(6))
                    .put(LogFields.TIME, time.toString()).put(LogFields.ABSOLUTE_TIME, time.toEpochMilli())
                    .build());
        }
        return out;
    }

    @Override
    public TypeInformation<LogRecord> getProducedType() {
        return LogRecordTypeInfo.INSTANCE;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    @Override
    public void close() throws IOException {
        fixture.close();
    }

    @Override
    public String toString() {
        return "Bugfender emulator, previous on " + links.option() + " pages";
    }
}
