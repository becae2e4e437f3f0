package io.fendersec.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.error.ConfigException;
import io.fendersec.job.JobSpecReader;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.RawJson;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code source.limits} against the emulator over HTTP: a log with a 2 MB text, and one with a value
 * nested 100 levels deep, are served in pages and in the NDJSON download. Within the limits they are
 * read; over them the call fails at once (no retries) with one line naming the limit's key.
 */
class ResponseLimitsTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Instant FROM = END.minus(Duration.ofDays(1));
    static final String SECRET = "cs-limits-9d2c";

    @TempDir
    Path dir;
    BugfenderEmulator emu;
    String app;

    @BeforeEach
    void start() throws Exception {
        emu = BugfenderEmulator.builder().seed(3).apps(1).days(1).end(END).logsPerDay(200)
                .clientSecret("cs", SECRET, List.of()).start();
        app = emu.apps().get(0).id();
    }

    @AfterEach
    void stop() {
        emu.close();
    }

    @Test
    void aLongLogIsReadWithinTheLimitsAndRefusedOverThem() {
        String text = "x".repeat(2 << 20);
        emu.append(app, List.of(log("big", text, null)));
        CountingMetrics m = new CountingMetrics();
        try (BugfenderApi api = BugfenderApi.create(settings(ResponseLimits.DEFAULTS), m)) {
            assertThat(page(api)).anySatisfy(r -> assertThat(r.text()).hasSize(text.length()));
            assertThat(download(api)).contains("big");
        }
        try (BugfenderApi api = BugfenderApi.create(settings(ResponseLimits.of(1 << 20, 1 << 20, 64)), m)) {
            assertThatThrownBy(() -> page(api)).isInstanceOf(ConfigException.class)
                    .hasMessageContainingAll("source.limits.max-page-bytes", "1048576", "/logs/paginated")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(600));
            assertThatThrownBy(() -> download(api)).isInstanceOf(ConfigException.class)
                    .hasMessageContainingAll("source.limits.max-line-bytes", "1048576", "/logs/download")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            // The links-only read that fixes a continuous source's snapshot counts the logs without
            // parsing them, but still reads the answer: held to the same limit. Mutation caught:
            // LogJson.pageLinks reading the whole body (readAllBytes) without the limit.
            assertThatThrownBy(() -> api.fixSnapshot(LogQuery.builder(app, FROM).pageSize(1000).build()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContainingAll("source.limits.max-page-bytes", "1048576", "/logs/paginated");
        }
        assertThat(m.errors("over-limit")).isEqualTo(2);
        assertThat(m.errors).doesNotContainKeys("bad-json", "io"); // refused at once, not retried as unreadable
    }

    @Test
    void deepNestingIsRefusedInPagesAndDownloads() {
        String deep = "[".repeat(100) + "1" + "]".repeat(100);
        emu.append(app, List.of(log("deep", "nested", deep)));
        try (BugfenderApi api = BugfenderApi.create(settings(ResponseLimits.of(64 << 20, 8 << 20, 200)), null)) {
            assertThat(download(api)).contains("deep");
        }
        try (BugfenderApi api = BugfenderApi.create(settings(ResponseLimits.DEFAULTS), null)) {
            assertThatThrownBy(() -> page(api)).isInstanceOf(ConfigException.class)
                    .hasMessageContainingAll("source.limits.max-json-depth", "64")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> download(api)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("source.limits.max-json-depth");
        }
    }

    @Test
    void limitsAreReadFromTheJobFileWithTheirKeyPaths() throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n  url: " + emu.baseUrl() + "\n  auth:\n    method: client-secret\n"
                + "    client-id: cs\n    client-secret: ${env:HOME}\n  limits:\n    max-page-bytes: 2000000\n"
                + "    max-json-depth: 16\n");
        ClientSettings s = new JobSpecReader().read(job).source.client;
        assertThat(s.limits().maxPageBytes()).isEqualTo(2_000_000);
        assertThat(s.limits().maxJsonDepth()).isEqualTo(16);
        assertThat(s.limits().maxLineBytes()).isEqualTo(ResponseLimits.DEFAULT_MAX_LINE_BYTES);
        Files.writeString(job, Files.readString(job).replace("max-json-depth: 16", "max-json-depht: 2"));
        assertThatThrownBy(() -> new JobSpecReader().read(job)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.limits.max-json-depht");
    }

    private List<LogRecord> page(BugfenderApi api) {
        return api.firstPage(LogQuery.builder(app, FROM).pageSize(1000).build()).records();
    }

    private List<String> download(BugfenderApi api) {
        List<String> uuids = new ArrayList<>();
        api.download(LogQuery.builder(app, FROM).build(), r -> uuids.add(r.uuid()));
        return uuids;
    }

    private LogRecord log(String uuid, String text, String nested) {
        LogRecord.Builder b = LogRecord.builder().put(LogFields.UUID, uuid).put(LogFields.APP, app)
                .put(LogFields.DEVICE_UDID, "dev-1").put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, END.minusSeconds(60).toString());
        if (nested != null) {
            b.put("key_value_value", new RawJson(nested));
        }
        return b.build();
    }

    private ClientSettings settings(ResponseLimits limits) {
        return ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId("cs")
                        .clientSecret(SecretRef.literal(SECRET)).build())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).limits(limits).build();
    }
}
