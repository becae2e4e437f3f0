package io.fendersec.detect.sql;

import static io.fendersec.detect.sql.SqlFixtures.DAY1;
import static io.fendersec.detect.sql.SqlFixtures.SAMPLES;
import static io.fendersec.detect.sql.SqlFixtures.log;
import static io.fendersec.detect.sql.SqlFixtures.login;
import static io.fendersec.detect.sql.SqlFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.testing.FailOnceAfterCheckpoint;
import io.fendersec.testing.ListGenerator;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecordTypeInfo;
import io.fendersec.model.AlertJson;
import io.fendersec.sink.AlertSinks;
import io.fendersec.model.LogRecord;

/** The sample SQL rules and the row-to-alert mapping on a real MiniCluster, Kryo disabled. */
class SqlRulesIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    static Instant at(String isoTime) {
        return Instant.parse(isoTime);
    }

    // --- device-many-accounts -------------------------------------------------------------------

    /** Five accounts on one device between 23:00 and 01:00: a calendar-day bucket sees 3 + 2. */
    static List<LogRecord> manyAccountsLogs() {
        List<LogRecord> logs = new ArrayList<>();
        String[] night = {"2026-03-01T23:00:00Z", "2026-03-01T23:30:00Z", "2026-03-01T23:50:00Z",
            "2026-03-02T00:30:00Z", "2026-03-02T01:00:00Z"};
        for (int i = 0; i < night.length; i++) {
            logs.add(login("d1-" + i, "d1", "Pixel 8", "user" + i + "@example.com", at(night[i]), i % 2 == 0));
        }
        // d2: four accounts, many times each: below the threshold
        for (int i = 0; i < 20; i++) {
            logs.add(login("d2-" + i, "d2", "Pixel 8", "family" + (i % 4) + "@example.com",
                    DAY1.plus(Duration.ofMinutes(30L * i)), true));
        }
        // d3: five accounts, but over 29 hours: no 24 h span holds more than four
        int[] hours = {0, 7, 14, 21, 29};
        for (int i = 0; i < hours.length; i++) {
            logs.add(login("d3-" + i, "d3", "Pixel 8", "shift" + i + "@example.com",
                    DAY1.plus(Duration.ofHours(hours[i])), true));
        }
        // d4: many accounts in texts that are not logins
        for (int i = 0; i < 6; i++) {
            logs.add(log("d4-" + i, "app-1", "d4", "Pixel 8", "1.0", 4, DAY1.plus(Duration.ofMinutes(i)),
                    "profile viewed by user=viewer" + i + "@example.com"));
        }
        return logs;
    }

    @Test
    void deviceManyAccountsFindsFiveAccountsAcrossMidnightOnceAndNothingElse() throws Exception {
        List<Alert> alerts = run(manyAccountsLogs(), List.of(SAMPLES.resolve("device-many-accounts.sql")));
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("device-many-accounts");
        assertThat(a.group()).isEqualTo(Map.of("device.udid", "d1"));
        assertThat(a.device()).isEqualTo("d1");
        assertThat(a.severity()).isEqualTo("high");
        assertThat(a.count()).isEqualTo(5);
        assertThat(a.evidence()).containsExactlyInAnyOrder("d1-0", "d1-1", "d1-2", "d1-3", "d1-4");
        // the first 24 h window (1 h slide) that holds 23:00 to 01:00 starts at 02:00 the day before
        assertThat(a.windowStart()).isEqualTo(at("2026-03-01T02:00:00Z"));
        assertThat(a.windowEnd()).isEqualTo(at("2026-03-02T02:00:00Z"));
        assertThat(a.firstSeen()).isEqualTo(at("2026-03-01T23:00:00Z"));
        assertThat(a.lastSeen()).isEqualTo(at("2026-03-02T01:00:00Z"));
        assertThat(a.alertId()).isEqualTo(Alert.idFor("device-many-accounts", "app-1", Map.of("device.udid", "d1"),
                at("2026-03-01T02:00:00Z").toEpochMilli()));
    }

    @Test
    void aCalendarDayTumbleMissesTheSameAttack() throws Exception {
        // the sample rule with HOP replaced by a 1-day TUMBLE: the docs' example of a boundary miss
        String hop = Files.readString(SAMPLES.resolve("device-many-accounts.sql"));
        String tumble = hop.replace("HOP(TABLE logs, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '1' DAY)",
                "TUMBLE(TABLE logs, DESCRIPTOR(ts), INTERVAL '1' DAY)").replace("-- rule: device-many-accounts", "");
        assertThat(tumble).contains("TUMBLE(");
        Path file = Files.writeString(dir.resolve("tumble-many-accounts.sql"), tumble);
        assertThat(run(manyAccountsLogs(), List.of(file))).isEmpty();
    }
    // --- version-error-rate-rise ----------------------------------------------------------------

    @Test
    void versionErrorRateRiseFlagsTheFailingVersionAndNotTrafficGrowth() throws Exception {
        List<LogRecord> logs = new ArrayList<>();
        for (int m = 0; m < 480; m++) {
            Instant t = DAY1.plus(Duration.ofMinutes(m));
            int steady = m % 10 == 0 ? 2 : 4; // 10 % errors
            logs.add(log("v1-" + m, "app-1", "dv1", "Pixel 8", "1.0", steady, t, "tick"));
            // 2.0 fails from 07:00: every other log is an Error or a Fatal
            int failing = m >= 420 ? (m % 4 == 0 ? 5 : m % 2 == 0 ? 2 : 4) : steady;
            logs.add(log("v2-" + m, "app-1", "dv2", "Pixel 8", "2.0", failing, t, "tick"));
            // 3.0 triples its traffic from 07:00 at the same 10 % error rate
            for (int k = 0; k < (m >= 420 ? 3 : 1); k++) {
                logs.add(log("v3-" + m + "-" + k, "app-1", "dv3", "Pixel 8", "3.0", (m * 3 + k) % 10 == 0 ? 2 : 4,
                        t.plusSeconds(k), "tick"));
            }
        }
        List<Alert> alerts = run(logs, List.of(SAMPLES.resolve("version-error-rate-rise.sql")));
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.group()).isEqualTo(Map.of("version.version", "2.0"));
        assertThat(a.windowEnd().toEpochMilli() - a.windowStart().toEpochMilli()).isEqualTo(30 * 60_000);
        assertThat(a.windowStart()).isBetween(at("2026-03-01T06:40:00Z"), at("2026-03-01T07:00:00Z"));
        assertThat(a.count()).isGreaterThanOrEqualTo(10);
        assertThat(a.alertId()).isEqualTo(Alert.idFor("version-error-rate-rise", "app-1", a.group(),
                a.windowStart().toEpochMilli()));
    }

    // --- normalized once (issue 16) --------------------------------------------------------------

    /**
     * In a job with both engines, SQL reads the logs the Sigma operator normalized: the sample rules
     * must give the same alerts from that stream as from normalizing the logs themselves.
     */
    @Test
    void sqlRulesOverTheSigmaOperatorsNormalizedLogsGiveTheSameAlerts() throws Exception {
        List<LogRecord> logs = new ArrayList<>(manyAccountsLogs());
        for (int i = 0; i < 3; i++) {
            logs.add(login("a-iphone-" + i, "d-a", "iPhone14,2", "alice@example.com", DAY1.plus(Duration.ofHours(i)),
                    true));
        }
        logs.add(login("a-galaxy-1", "d-g", "SM-G991B", "alice@example.com", DAY1.plus(Duration.ofHours(5)), true));
        logs.sort(java.util.Comparator.comparing(LogRecord::time)); // nothing late: every rule sees every log
        List<Path> files;
        try (Stream<Path> s = Files.list(SAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        List<Alert> alone = run(logs, files);

        StreamExecutionEnvironment env = SqlFixtures.env();
        DataStream<LogRecord> in = env.fromData(logs, LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(SqlFixtures.watermarks());
        io.fendersec.detect.engine.DetectionPipeline.Streams sigma = io.fendersec.detect.engine.DetectionPipeline.build(
                in, Normalizer.defaults(), io.fendersec.detect.load.RuleLoader.create().builtin(List.of("all")).load(),
                DetectionSettings.defaults(), true);
        List<Alert> shared = new ArrayList<>();
        try (var it = SqlRules.applyToNormalized(env, sigma.normalizedLogs(), files, DetectionSettings.defaults())
                .executeAndCollect("sql over normalized logs")) {
            it.forEachRemaining(shared::add);
        }
        assertThat(alone).extracting(Alert::ruleId).contains("device-many-accounts", "new-device-model-login");
        assertThat(summaries(shared)).isEqualTo(summaries(alone));
    }

    /**
     * Id, rule, group, window and evidence of each alert, sorted. The evidence as a sorted list: a SQL
     * aggregate lists rows in the order they reached it, which parallel upstream operators vary.
     */
    private static List<String> summaries(List<Alert> alerts) {
        return alerts.stream().map(a -> a.alertId() + " " + a.ruleId() + " " + a.group() + " " + a.firstSeen() + " "
                + a.lastSeen() + " " + a.evidence().stream().sorted().toList()).sorted().toList();
    }

    // --- new-device-model-login -----------------------------------------------------------------

    @Test
    void newDeviceModelLoginFlagsAKnownUserOnANewModelOnce() throws Exception {
        Instant t = DAY1;
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            logs.add(login("a-iphone-" + i, "d-a", "iPhone14,2", "alice@example.com", t.plus(Duration.ofHours(i)), true));
        }
        // a failed login on a new model is not a login from it
        logs.add(login("a-fail", "d-x", "SM-A515F", "alice@example.com", t.plus(Duration.ofHours(4)), false));
        logs.add(login("a-galaxy-1", "d-g", "SM-G991B", "alice@example.com", t.plus(Duration.ofHours(5)), true));
        logs.add(login("a-galaxy-2", "d-g", "SM-G991B", "alice@example.com", t.plus(Duration.ofHours(6)), true));
        // bob's first login ever: nothing to compare with
        logs.add(login("b-1", "d-b", "Pixel 8", "bob@example.com", t.plus(Duration.ofHours(5)), true));
        // arrival order is not event order: the new-model login arrives first
        java.util.Collections.reverse(logs);
        List<Alert> alerts = run(logs, List.of(SAMPLES.resolve("new-device-model-login.sql")));
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.group()).containsExactly(Map.entry("user.name", "alice@example.com"),
                Map.entry("device.type", "SM-G991B"));
        assertThat(a.device()).isEqualTo("d-g");
        assertThat(a.evidence()).containsExactly("a-galaxy-1");
        assertThat(a.firstSeen()).isEqualTo(t.plus(Duration.ofHours(5)));
        assertThat(a.severity()).isEqualTo("low");
    }

    // --- header comments and column mapping ------------------------------------------------------

    @Test
    void headerCommentsAndColumnsMapToTheAlert() throws Exception {
        Path noHeader = Files.writeString(dir.resolve("plain-rule.sql"), """
                SELECT app, ts AS first_seen FROM logs WHERE text LIKE '%frida%'
                """);
        Path mapped = Files.writeString(dir.resolve("mapped.sql"), """
                -- a comment that is not a header
                -- rule: mapped-rule
                -- title: Header title
                -- severity: HIGH
                -- tags: attack.t1000, masvs.code
                SELECT app,
                  `device.udid` AS group_device__udid,
                  fields['source.ip'] AS `group_source.ip`,
                  `os_version` AS group_os_version,
                  CASE WHEN log_level = 5 THEN 'Fatal text seen' END AS title,
                  'not-a-level' AS severity,
                  `device.udid` AS device,
                  ts AS first_seen, ts AS last_seen,
                  CAST(log_level AS BIGINT) * 10 AS `count`,
                  uuid || ',' || uuid || ', extra' AS evidence
                FROM logs WHERE text LIKE '%tamper%';
                """);
        Instant t = DAY1.plus(Duration.ofMinutes(5));
        LogRecord frida = log("u-frida", "app-1", "d1", "Pixel 8", "1.0", 4, t, "frida server found");
        LogRecord tamper = LogRecord.builder().put("uuid", "u-tamper").put("app", "app-1").put("device.udid", "d2")
                .put("os_version", "14").put("log_level", 5).put("time", t.toString())
                .put("text", "tamper check failed from 203.0.113.9").build();
        List<Alert> alerts = run(List.of(frida, tamper), List.of(noHeader, mapped));
        assertThat(alerts).extracting(Alert::ruleId).containsExactlyInAnyOrder("plain-rule", "mapped-rule");
        Alert plain = alerts.stream().filter(a -> a.ruleId().equals("plain-rule")).findFirst().orElseThrow();
        assertThat(plain.title()).isEqualTo("plain-rule");
        assertThat(plain.severity()).isEqualTo("medium");
        assertThat(plain.kind()).isEqualTo("sql");
        assertThat(plain.group()).isEmpty();
        assertThat(plain.count()).isEqualTo(1);
        assertThat(plain.windowStart()).isEqualTo(t);
        assertThat(plain.alertId()).isEqualTo(Alert.idFor("plain-rule", "app-1", Map.of(), t.toEpochMilli()));

        Alert m = alerts.stream().filter(a -> a.ruleId().equals("mapped-rule")).findFirst().orElseThrow();
        assertThat(m.group()).containsExactly(Map.entry("device.udid", "d2"), Map.entry("source.ip", "203.0.113.9"),
                Map.entry("os_version", "14"));
        assertThat(m.title()).isEqualTo("Fatal text seen");
        assertThat(m.severity()).as("an unknown severity value falls back to the header's").isEqualTo("high");
        assertThat(m.tags()).containsExactly("attack.t1000", "masvs.code");
        assertThat(m.device()).isEqualTo("d2");
        assertThat(m.count()).isEqualTo(50);
        assertThat(m.evidence()).containsExactly("u-tamper", "extra");
        assertThat(m.alertId()).isEqualTo(Alert.idFor("mapped-rule", "app-1", m.group(), t.toEpochMilli()));
    }
    // --- exactly once across a failure ------------------------------------------------------------


    @Test
    void sqlAlertsAreWrittenExactlyOnceAcrossAFailure() throws Exception {
        List<LogRecord> logs = new ArrayList<>(manyAccountsLogs());
        Instant t = at("2026-03-01T20:00:00Z");
        logs.add(login("a-1", "d-a", "iPhone14,2", "alice@example.com", t, true));
        logs.add(login("a-2", "d-g", "SM-G991B", "alice@example.com", t.plus(Duration.ofHours(1)), true));
        for (int i = 0; i < 600; i++) { // filler, so that checkpoints fall in the middle of the stream
            logs.add(log("f-" + i, "app-1", "d-f" + (i % 7), "Pixel 8", "1.0", 4,
                    DAY1.plus(Duration.ofMinutes(4L * i)), "screen opened"));
        }
        logs.sort(java.util.Comparator.comparing(LogRecord::time));
        List<Path> rules = List.of(SAMPLES.resolve("device-many-accounts.sql"),
                SAMPLES.resolve("new-device-model-login.sql"));
        List<String> expected = run(logs, rules).stream().map(Alert::alertId).sorted().toList();
        assertThat(expected).hasSize(2);

        FailOnceAfterCheckpoint.reset();
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        DataGeneratorSource<LogRecord> source = new DataGeneratorSource<>(new ListGenerator<>(logs), logs.size(),
                RateLimiterStrategy.perSecond(400), LogRecordTypeInfo.INSTANCE);
        DataStream<LogRecord> in = env.fromSource(source, SqlFixtures.watermarks(), "logs")
                .map(new FailOnceAfterCheckpoint<>(100), LogRecordTypeInfo.INSTANCE);
        Path out = dir.resolve("alerts");
        SqlRules.apply(env, in, Normalizer.defaults(), rules, DetectionSettings.defaults())
                .sinkTo(AlertSinks.jsonLinesFile(out.toString()));
        env.execute("sql exactly-once");

        assertThat(FailOnceAfterCheckpoint.failed()).as("the failure was injected").isTrue();
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                Files.readAllLines(p).stream().filter(l -> !l.isBlank())
                        .forEach(l -> written.add(AlertJson.fromJson(l).alertId()));
            }
        }
        assertThat(written.stream().sorted().toList()).as("each alert_id once, none lost").isEqualTo(expected);
    }
}
