package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.detect.enrich.MmdbTestWriter;
import io.fendersec.detect.sql.SqlRules;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.LogRecordTypeInfo;

/**
 * A job with {@code enrich} (a lookup by account, a CIDR lookup by address, GeoIP) on a real
 * MiniCluster, both engines wired as {@link Pipeline} wires them (SQL reads the Sigma operator's
 * normalized logs), parallelism 2, Kryo off: a Sigma rule and a SQL rule each alert on a joined
 * column, and the built-in impossible-travel alerts on the speed between GeoIP locations.
 */
class EnrichmentJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    int seq;

    LogRecord login(long minute, String device, String user, String ip) {
        Instant t = T0.plusSeconds(minute * 60);
        return LogRecord.builder().put("uuid", "u" + seq++).put("app", "app-1").put("device.udid", device)
                .put("timezone", "Europe/London").put("log_level", 4L)
                .put("text", "Login succeeded for " + user + " from " + ip)
                .put("time", t.toString()).put("absolute_time", t.toEpochMilli()).build();
    }

    @Test
    void sigmaAndSqlRulesReadJoinedColumnsAndImpossibleTravelMeasuresSpeed() throws Exception {
        new MmdbTestWriter("GeoLite2-City")
                .put("81.2.69.0/24", MmdbTestWriter.city("GB", "London", 51.5142, -0.0931))
                .put("216.160.83.0/24", MmdbTestWriter.city("US", "Milton", 47.2513, -122.3149))
                .write(dir.resolve("city.mmdb"));
        Files.writeString(dir.resolve("vip.csv"), "account,tier\nana@example.com,gold\n\"cy@example.com\",silver\n");
        Files.writeString(dir.resolve("offices.jsonl"), "{\"net\": \"10.0.0.0/8\", \"site\": \"hq\"}\n"
                + "{\"net\": \"10.7.0.0/16\", \"site\": \"lab\"}\n");
        Files.writeString(dir.resolve("vip-login.yml"), """
                title: VIP account signs in
                name: vip-login
                level: medium
                detection:
                  sel: {event.action: login, event.outcome: success, vip.tier: gold}
                  condition: sel
                """);
        Files.writeString(dir.resolve("lab-login.sql"), """
                -- rule: lab-login
                -- title: Sign-in from the lab network
                SELECT app, fields['user.name'] AS group_user__name, ts AS first_seen, uuid AS evidence
                FROM logs
                WHERE fields['internal.site'] = 'lab' AND fields['event.action'] = 'login'
                """);
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, """
                source:
                  url: http://127.0.0.1:1
                  auth: {method: client-secret, client-id: c, client-secret: '${env:ENRICHMENT_JOB_TEST_UNSET}'}
                  from: 2026-03-01T00:00:00Z
                  to: 2026-03-02T00:00:00Z
                enrich:
                  lookups:
                    - {file: vip.csv, key: user.name, prefix: vip}
                    - {file: offices.jsonl, key: source.ip, match: cidr, prefix: internal}
                  geoip: city.mmdb
                rules:
                  builtin: [all]
                  sigma: [vip-login.yml]
                  sql: [lab-login.sql]
                parallelism: 2
                """);
        JobSpec spec = new JobSpecReader().read(job);

        List<LogRecord> logs = new ArrayList<>();
        logs.add(login(0, "a1", "ana@example.com", "81.2.69.160"));      // VIP, London
        logs.add(login(30, "a2", "ana@example.com", "216.160.83.56"));   // VIP, Milton (US) 30 min later
        logs.add(login(5, "b1", "ben@example.com", "10.7.1.2"));         // lab network
        logs.add(login(6, "c1", "cy@example.com", "10.1.1.1"));          // silver, hq network
        logs.add(login(7, "c1", "cy@example.com", "81.2.69.7"));         // London, cy stays put
        logs.sort(Comparator.comparing(LogRecord::time));

        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.configure(c);
        env.setParallelism(spec.parallelism);
        DataStream<LogRecord> in = env.fromData(logs, LogRecordTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(Duration.ofMinutes(1))
                        .withTimestampAssigner((r, ts) -> r.time().toEpochMilli()));
        RuleSet rules = Pipeline.loadRules(spec);
        DetectionSettings settings = DetectionSettings.defaults();
        DetectionPipeline.Streams detect = DetectionPipeline.build(in, spec.normalizer(), rules, settings, true);
        DataStream<Alert> alerts = detect.alerts().union(
                SqlRules.applyToNormalized(env, detect.normalizedLogs(), spec.rules.sql, settings));
        List<Alert> out = new ArrayList<>();
        try (CloseableIterator<Alert> it = alerts.executeAndCollect("enrichment job")) {
            it.forEachRemaining(out::add);
        }

        assertThat(out).extracting(a -> a.ruleId() + " " + a.group())
                .containsExactlyInAnyOrder(
                        "vip-login {device.udid=a1}",
                        "vip-login {device.udid=a2}",
                        "lab-login {user.name=ben@example.com}",
                        "impossible-travel {user.name=ana@example.com}");
        Alert travel = out.stream().filter(a -> a.ruleId().equals("impossible-travel")).findFirst().orElseThrow();
        assertThat(travel.kind()).isEqualTo("impossible_travel");
        assertThat(travel.count()).as("km/h, London to Milton in 30 min").isBetween(14_000L, 16_000L);
        assertThat(travel.evidence()).containsExactly("u0", "u1");
        Alert lab = out.stream().filter(a -> a.ruleId().equals("lab-login")).findFirst().orElseThrow();
        assertThat(lab.evidence()).containsExactly("u2");
    }
}
