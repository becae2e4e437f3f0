package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fendersec.testing.FailOnceAfterCheckpoint;
import io.fendersec.auth.SecretRef;
import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;

/** The PostgreSQL alert store against a real server (see {@link TestPostgres}). */
class JdbcAlertSinkIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private String table;

    @BeforeEach
    void freshTable(TestInfo info) throws Exception {
        table = "it_" + info.getTestMethod().orElseThrow().getName().toLowerCase();
        try (Connection c = TestPostgres.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private JdbcSinkSettings settings() {
        return new JdbcSinkSettings(TestPostgres.url(), TestPostgres.user(), SecretRef.literal(TestPostgres.password()),
                table, 7, Duration.ofMillis(200));
    }

    @Test
    void sameAlertTwiceIsOneRowWithTheNewerFieldsAndAnOlderReplayDoesNotOverwriteIt() throws Exception {
        AlertStoreSchema schema = new AlertStoreSchema(table);
        Alert first = TestAlerts.alert(1, 1);
        Alert second = TestAlerts.alert(1, 2);
        try (Connection c = TestPostgres.connect()) {
            schema.createIfAbsent(c);
            schema.createIfAbsent(c); // idempotent
            try (PreparedStatement ps = c.prepareStatement(schema.upsert())) {
                for (Alert a : List.of(first, second, first)) {
                    new AlertRowBinder().accept(ps, a);
                    ps.executeUpdate();
                }
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT alert_id, count, evidence, last_seen, \"group\"->>'source.ip',"
                            + " severity, device, tags, \"references\", window_start FROM " + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(second.alertId());
                assertThat(rs.getLong(2)).isEqualTo(second.count());
                assertThat((String[]) rs.getArray(3).getArray()).containsExactlyElementsOf(second.evidence());
                assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(second.lastSeen());
                assertThat(rs.getString(5)).isEqualTo(second.group().get("source.ip"));
                assertThat(rs.getString(6)).isEqualTo("medium");
                assertThat(rs.getString(7)).isEqualTo(second.device());
                assertThat((String[]) rs.getArray(8).getArray()).containsExactly("attack.t1110");
                assertThat((String[]) rs.getArray(9).getArray()).isEmpty();
                assertThat(rs.getTimestamp(10).toInstant()).isEqualTo(second.windowStart());
                assertThat(rs.next()).as("one row per alert_id").isFalse();
            }
        }
    }

    /** The table as the release before ATT&CK columns created it. */
    private static final String OLD_TABLE = """
            CREATE TABLE %s (alert_id text PRIMARY KEY, rule_id text NOT NULL, kind text NOT NULL, title text NOT NULL,
              severity text NOT NULL, app text, "group" jsonb NOT NULL, window_start timestamptz NOT NULL,
              window_end timestamptz NOT NULL, first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL,
              count bigint NOT NULL, evidence text[] NOT NULL, device text, tags text[] NOT NULL,
              "references" text[] NOT NULL, inserted_at timestamptz NOT NULL DEFAULT now(),
              updated_at timestamptz NOT NULL DEFAULT now())""";

    @Test
    void attackColumnsAreWrittenAndAnOldTableIsMigratedInPlace() throws Exception {
        AlertStoreSchema schema = new AlertStoreSchema(table);
        Alert tagged = TestAlerts.alert(2, 1).toBuilder().tags(List.of("attack.credential_access", "attack.t1110",
                "attack.t1110.001", "attack.g0001", "owasp.masvs.auth-1")).build();
        try (Connection c = TestPostgres.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute(String.format(OLD_TABLE, table));
                s.execute("INSERT INTO " + table + " (alert_id, rule_id, kind, title, severity, \"group\", window_start,"
                        + " window_end, first_seen, last_seen, count, evidence, tags, \"references\") VALUES ('old', 'r',"
                        + " 'detection', 't', 'low', '{}', now(), now(), now(), now(), 1, '{}', '{attack.t1078}', '{}')");
            }
            schema.createIfAbsent(c); // the sink's start: migrates
            try (PreparedStatement ps = c.prepareStatement(schema.upsert())) {
                for (Alert a : List.of(tagged, tagged.toBuilder().seen(tagged.firstSeen().toEpochMilli(),
                        tagged.lastSeen().toEpochMilli() + 1000).count(tagged.count() + 1).build())) {
                    new AlertRowBinder().accept(ps, a);
                    ps.executeUpdate();
                }
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT alert_id, attack_tactics, attack_techniques, count FROM " + table
                            + " ORDER BY alert_id = 'old'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(tagged.alertId());
                assertThat((String[]) rs.getArray(2).getArray()).containsExactly("credential-access");
                assertThat((String[]) rs.getArray(3).getArray()).containsExactly("T1110", "T1110.001");
                assertThat(rs.getLong(4)).isEqualTo(tagged.count() + 1);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("old");
                assertThat((String[]) rs.getArray(2).getArray()).isEmpty(); // a migrated row: empty, not null
                assertThat((String[]) rs.getArray(3).getArray()).isEmpty();
                assertThat(rs.next()).isFalse();
            }
            // The queries docs/alert-delivery.md shows.
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE 'T1110.001' = ANY(attack_techniques)),"
                            + " count(*) FILTER (WHERE attack_techniques && ARRAY['T1078', 'T1110']) FROM " + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
        }
    }

    @Test
    void aTableOfThePreviousReleaseGainsTheEvidenceLogsColumnAndTakesAlertsWithLogs() throws Exception {
        AlertStoreSchema schema = new AlertStoreSchema(table);
        Alert withLogs = TestAlerts.alert(1, 1).toBuilder().evidenceLogs(List.of(io.fendersec.model.EvidenceLog.of(
                "u-1", 1_000, "dev-1", "debug", "token [redacted jwt] \u202e <b>"))).build();
        try (Connection c = TestPostgres.connect()) {
            try (Statement s = c.createStatement()) {
                // the previous release's table: every column but evidence_logs (and the ATT&CK columns and
                // their index, which came in the same release)
                for (String ddl : schema.ddl()) {
                    if (!ddl.startsWith("ALTER") && !ddl.contains("attack_")) {
                        s.execute(ddl);
                    }
                }
                s.execute("ALTER TABLE " + table + " DROP COLUMN evidence_logs");
            }
            schema.createIfAbsent(c);
            try (PreparedStatement ps = c.prepareStatement(schema.upsert())) {
                new AlertRowBinder().accept(ps, withLogs);
                ps.executeUpdate();
                new AlertRowBinder().accept(ps, TestAlerts.alert(2, 1));
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT alert_id, evidence_logs->0->>'text', evidence_logs->0->>'time'"
                            + " FROM " + table + " ORDER BY alert_id = '" + withLogs.alertId() + "' DESC")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("token [redacted jwt] \u202e <b>");
                assertThat(rs.getString(3)).isEqualTo("1970-01-01T00:00:01Z");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).as("evidence: ids leaves the column NULL").isNull();
            }
        }
    }

    @Test
    void schemaHasTheDashboardIndexes() throws Exception {
        try (Connection c = TestPostgres.connect()) {
            new AlertStoreSchema(table).createIfAbsent(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT indexname FROM pg_indexes WHERE tablename = ?")) {
                ps.setString(1, table);
                List<String> names = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                assertThat(names).contains(table + "_pkey", table + "_first_seen_idx", table + "_rule_idx",
                        table + "_severity_idx", table + "_device_idx", table + "_app_idx", table + "_attack_techniques_idx");
            }
        }
    }

    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Test
    void eachAlertOnceInTheTableAcrossAFailureOnAMiniCluster() throws Exception {
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
        // 30 alerts, each emitted twice (a first version, then one with more evidence): 60 records,
        // 10 per checkpoint, so a failure after the first checkpoint replays written records.
        int alerts = 30;
        DataGeneratorSource<Alert> source = new DataGeneratorSource<>(new Versions(), alerts * 2L,
                RateLimiterStrategy.perCheckpoint(10), AlertTypeInfoFactory.TYPE);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "alerts")
                .map(new FailOnceAfterCheckpoint<>(0), AlertTypeInfoFactory.TYPE)
                .sinkTo(JdbcAlertSink.create(settings()));
        env.execute("jdbc-exactly-once");

        assertThat(FailOnceAfterCheckpoint.failed()).as("the failure was injected").isTrue();
        Map<String, Long> counts = new HashMap<>();
        try (Connection conn = TestPostgres.connect(); Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT alert_id, count FROM " + table)) {
            // alert_id is the primary key (checked above), so a row per id is given; what a replay after
            // the failure can break is the content: a lost alert, or an older version written last.
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        Map<String, Long> expected = new HashMap<>();
        for (int n = 0; n < alerts; n++) {
            expected.put(TestAlerts.alert(n, 2).alertId(), TestAlerts.alert(n, 2).count());
        }
        assertThat(counts).isEqualTo(expected);
    }

    /**
     * Issue 26 §2: one alert whose device, group value and evidence text hold U+0000 and a lone
     * surrogate used to make PostgreSQL refuse the batch ({@code invalid byte sequence for encoding
     * "UTF8": 0x00}; in jsonb {@code unsupported Unicode escape sequence}): the job failed and the table
     * held none of the batch. Through the sink-safe stage every alert lands, the values replaced.
     * Mutation caught: SinkSafeAlerts.of returning the stream unchanged (the job fails on the batch).
     */
    @Test
    void aBatchWithU0000AndLoneSurrogatesLandsWholeOnAMiniCluster() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // made inside the job, chained to the stage: fromData would serialize them first
        SinkSafeAlerts.of(env.fromSequence(4, 6).map(new Poisoned(), AlertTypeInfoFactory.TYPE))
                .sinkTo(JdbcAlertSink.create(settings()));
        env.execute("jdbc-sink-safe");

        try (Connection conn = TestPostgres.connect(); Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT device, title, \"group\"->>'source.ip', \"group\"->>'file',"
                        + " evidence_logs->0->>'text', (SELECT count(*) FROM " + table + ") FROM " + table
                        + " WHERE alert_id = '" + new Poisoned().map(5L).alertId() + "'")) {
            assertThat(rs.next()).as("the poisoned alert is stored").isTrue();
            assertThat(rs.getString(1)).isEqualTo("dev\uFFFDice");
            assertThat(rs.getString(2)).isEqualTo("Secret \uFFFD");
            assertThat(rs.getString(3)).isEqualTo("203.0.113.5\uFFFD");
            assertThat(rs.getString(4)).isEqualTo("a\uFFFD");
            assertThat(rs.getString(5)).isEqualTo("password=\uFFFD \uFFFD");
            assertThat(rs.getLong(6)).as("and the rest of the batch").isEqualTo(3);
        }
    }

    /**
     * Issue 26 §2: a row the store still refuses (here a CHECK constraint a DBA added) goes to the
     * dead-letter file, owner-only, and the rest of its batch is stored. Mutations caught: the whole
     * batch failed on one row (Flink's JDBC connector: the job fails, 0 rows); the refused row dropped
     * silently (no file); the file or folder created with the umask (0644/0755).
     */
    @Test
    void aRowTheStoreRefusesGoesToTheDeadLetterFileAndTheRestOfTheBatchLands(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) throws Exception {
        try (Connection c = TestPostgres.connect(); Statement s = c.createStatement()) {
            new AlertStoreSchema(table).createIfAbsent(c);
            s.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_refused CHECK (device IS NULL OR device <> 'refused')");
        }
        java.nio.file.Path dl = tmp.resolve("dl");
        JdbcSinkSettings settings = new JdbcSinkSettings(TestPostgres.url(), TestPostgres.user(),
                SecretRef.literal(TestPostgres.password()), table, 10, Duration.ofMillis(200), dl.toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(1, 3).map(new RefusedSecond(), AlertTypeInfoFactory.TYPE).sinkTo(JdbcAlertSink.create(settings));
        env.execute("jdbc-dead-letter");

        try (Connection conn = TestPostgres.connect(); Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT alert_id FROM " + table + " ORDER BY alert_id")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            assertThat(ids).containsExactlyInAnyOrder(TestAlerts.alert(1, 1).alertId(), TestAlerts.alert(3, 1).alertId());
        }
        java.nio.file.Path file = dl.resolve("alerts-jdbc-" + table + "-0.jsonl");
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
        assertThat(line.path("alert").path("alert_id").asText()).isEqualTo(TestAlerts.alert(2, 1).alertId());
        assertThat(line.path("reason").asText()).startsWith("SQLState 23514: ").contains("no_refused")
                .doesNotContain("Failing row");
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(dl))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    /** Alerts 1 to 3; number 2 on device "refused". */
    static final class RefusedSecond implements org.apache.flink.api.common.functions.MapFunction<Long, Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public Alert map(Long n) {
            Alert a = TestAlerts.alert(n.intValue(), 1);
            return n == 2 ? a.toBuilder().device("refused").build() : a;
        }
    }

    /** Alert n; number 5 with U+0000 and lone surrogates in its device, title, group and evidence text. */
    static final class Poisoned implements org.apache.flink.api.common.functions.MapFunction<Long, Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public Alert map(Long n) {
            Alert a = TestAlerts.alert(n.intValue(), 1);
            return n != 5 ? a : a.toBuilder().device("dev\u0000ice").title("Secret \uD800")
                    .group(Map.of("source.ip", "203.0.113.5\u0000", "file", "a\uDC00"))
                    .evidenceLogs(List.of(io.fendersec.model.EvidenceLog.of("u-5", 1_000, "dev\u0000ice", "info",
                            "password=\u0000 \uD83D"))).build();
        }
    }

    /** Record i: alert i/2 in version 1 (even i) or 2 (odd i). */
    static final class Versions implements GeneratorFunction<Long, Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public Alert map(Long i) {
            return TestAlerts.alert((int) (i / 2), (int) (i % 2) + 1);
        }
    }

}
