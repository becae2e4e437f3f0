package io.fendersec.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.api.App;
import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientSettings;
import io.fendersec.api.LogQuery;
import io.fendersec.auth.AuthSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.DetectionPipeline;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;
import io.fendersec.emulator.Faults;
import io.fendersec.error.ExitCode;
import io.fendersec.model.Alert;
import io.fendersec.model.LabelMatcher;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.model.AlertJson;
import io.fendersec.sink.TestPostgres;

/**
 * {@code flink run target/fendersec.jar run JOB.yaml} on a real standalone Flink session cluster
 * (JobManager and TaskManager JVMs from the Maven jars, see {@link FlinkSessionCluster}) against
 * the emulator with every labeled attack scenario and live arrivals. The TaskManager is killed
 * (SIGKILL) after the first completed checkpoint while the source is still reading; another one is
 * started; the job restores from the checkpoint and finishes. Then: the archive holds every log of
 * the range exactly once, and the alert files and the PostgreSQL table every labeled alert, each
 * alert once; the continuous job, with the built-in pack too, alerts every labeled attack while it
 * keeps running, each alert once across the loss. The JDBC password is {@code ${env:FENDERSEC_PG_PASSWORD}}, set only in the
 * TaskManagers' environment; the cluster's REST API and logs never show its value.
 */
class StandaloneClusterIT {
    /** The range read: yesterday, so live arrivals (now, or at most ~6 h late) never fall into it. */
    static final Instant END = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    static final Instant FROM = END.minus(1, ChronoUnit.DAYS);
    static final String TABLE = "it_standalone_cluster";
    static final String PASSWORD_ENV = "FENDERSEC_PG_PASSWORD";

    @TempDir
    static Path tmp;

    static BugfenderEmulator emu;
    static FlinkSessionCluster cluster;
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        keys = Files.createDirectories(tmp.resolve("keys"));
        KeyPair kp = EmulatorKeys.generateInto(keys);
        emu = BugfenderEmulator.builder().bind("127.0.0.1").port(0).seed(11).apps(2).days(1).end(END)
                .logsPerDay(20_000).scenario("all").liveRate(50)
                .serviceAccount("svc", kp.getPublic(), List.of()).start();
        cluster = new FlinkSessionCluster(tmp.resolve("flink"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
            cluster.keepLogs(Path.of(System.getProperty("basedir", ".")).resolve("target/standalone-cluster-logs"));
        }
        if (emu != null) {
            emu.close();
        }
    }

    @Test
    void jobsSurviveLosingTheirTaskManagerAndKeepSecretsOffTheCluster() throws Exception {
        long t0 = System.nanoTime();
        List<String> expected = downloadedUuids(FROM, END);
        RuleSet pack = RuleLoader.builtin();
        // error-spike is a SQL rule, not in the built-in Sigma pack: its labels are not this job's to find.
        List<ScenarioLabel> labels = emu.labels().stream().filter(l -> pack.rule(l.ruleId()) != null).toList();
        assertThat(expected).hasSizeGreaterThan(15_000);
        assertThat(labels).hasSizeGreaterThanOrEqualTo(10);
        try (Connection c = TestPostgres.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
        String password = TestPostgres.password();
        Map<String, String> tmEnv = Map.of(PASSWORD_ENV, password);

        cluster.startJobManager();
        cluster.startTaskManager(tmEnv);
        cluster.awaitTaskManagers(1, Duration.ofSeconds(90));
        log("cluster up", t0);

        Path jar = Path.of(System.getProperty("fendersec.jar", "target/fendersec.jar")).toAbsolutePath();
        assertThat(jar).isRegularFile();
        // The submitting machine has no password: the reference is resolved on the TaskManager.
        Map<String, String> clientEnv = Map.of(PASSWORD_ENV, "");

        // Both jobs are submitted at once (each `flink run` uploads the jar): a continuous job with the
        // built-in pack reading yesterday's labeled attacks as its snapshot and then following the
        // live arrivals (late uploads reach back 6 h, well after FROM), and the bounded job over
        // yesterday's labeled attacks. Each API request takes 200 ms, so reading the range takes a
        // while: time to lose the TaskManager in the middle.
        emu.setFaults(Faults.builder().latency(Duration.ofMillis(200)).appliesTo("/api").build());
        Instant liveFrom = FROM;
        // Live arrivals are dated from now or, late uploads, up to 6 h back: none before this.
        Instant arrivalsFrom = Instant.now().minus(7, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Path live = Files.createDirectories(tmp.resolve("live"));
        Path liveJob = writeContinuousJob(live, liveFrom);
        Path dir = Files.createDirectories(tmp.resolve("bounded"));
        Path boundedJob = writeBoundedJob(dir);
        Process liveClient = cluster.flinkRun("client-continuous", List.of(jar.toString(), "run", liveJob.toString()),
                clientEnv);
        Process client = cluster.flinkRun("client-bounded", List.of(jar.toString(), "run", boundedJob.toString()),
                clientEnv);
        String liveJid = awaitRunningJob(liveJob, liveClient);
        log("continuous job " + liveJid + " running", t0);
        String jid = awaitRunningJob(boundedJob, client);
        log("bounded job " + jid + " running", t0);
        if (!liveClient.waitFor(60, TimeUnit.SECONDS) || liveClient.exitValue() != 0) {
            throw new AssertionError("flink run of the continuous job did not return 0 after submitting\n"
                    + cluster.logTails());
        }

        // Kill only once both jobs have completed a checkpoint and committed archive files: what was
        // committed before the loss must not come again after it.
        cluster.await("completed checkpoints and committed archive files of both jobs", Duration.ofSeconds(90), () -> {
            try {
                return completedCheckpoints(jid) >= 1 && completedCheckpoints(liveJid) >= 1
                        && !committedFiles(dir.resolve("archive")).isEmpty()
                        && !committedFiles(live.resolve("archive")).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        String stateAtKill = cluster.get("/jobs/" + jid).path("state").asText();
        int archivedAtKill = archivedUuids(dir.resolve("archive")).size();
        log("killing the TaskManager (bounded job " + stateAtKill + ", " + archivedAtKill + " of " + expected.size()
                + " logs committed to its archive; continuous job "
                + archivedUuids(live.resolve("archive")).size() + " logs committed)", t0);
        assertThat(stateAtKill).isEqualTo("RUNNING");
        assertThat(archivedAtKill).as("killed in the middle of the read").isBetween(1, expected.size() - 1);

        // The secret check, while the jobs run: job configuration, plan, cluster configuration.
        assertNoSecretOnTheCluster(jid, password);
        assertNoSecretOnTheCluster(liveJid, password);

        cluster.processesOf("taskmanager-1").destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        cluster.startTaskManager(tmEnv);
        log("second TaskManager started", t0);

        if (!client.waitFor(150, TimeUnit.SECONDS)) {
            throw new AssertionError("flink run did not end within 150 s\n" + cluster.logTails());
        }
        String clientOutput = Files.readString(cluster.logs.resolve("client-bounded.out"))
                + Files.readString(cluster.logs.resolve("client-bounded.err"));
        log("flink run of the bounded job ended with exit " + client.exitValue(), t0);
        assertThat(client.exitValue()).as(clientOutput + cluster.logTails()).isEqualTo(ExitCode.ALERTS);
        // The summary's counts are Flink accumulators, which start over in restarted tasks: after a
        // failover they count what was read since the restored checkpoint, not the whole range.
        assertThat(clientOutput).contains("read ", "alerts: ");
        // The client has the job's result, so the job has finished; the REST API serves a cached
        // execution graph (refreshed every few seconds), so it may say RUNNING a moment longer.
        assertThat(terminalState(jid)).isEqualTo("FINISHED");
        assertRestoredAfterLosingTheTaskManager(jid);

        // The archive: every log of the range, once.
        assertSameUuids(archivedUuids(dir.resolve("archive")), expected);

        // Alert files: each alert once, every labeled attack found.
        List<Alert> alerts = alertsIn(dir.resolve("alerts"));
        List<String> fileIds = alerts.stream().map(Alert::alertId).toList();
        assertThat(fileIds).doesNotHaveDuplicates();
        LabelMatcher.Result r = LabelMatcher.match(alerts, labels);
        log("alerts: " + alerts.size() + ", labels " + r.summary(), t0);
        for (Alert a : r.unexpected()) {
            log("  alert matching no label: " + AlertJson.toJson(a), t0);
        }
        assertThat(r.missed()).as(r.summary()).isEmpty();
        assertThat(r.recall()).isEqualTo(1.0);

        // PostgreSQL: one row per alert, the same alerts as the files.
        List<String> rowIds = new ArrayList<>();
        try (Connection c = TestPostgres.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT alert_id FROM " + TABLE)) {
            while (rs.next()) {
                rowIds.add(rs.getString(1));
            }
        }
        assertThat(rowIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(fileIds);

        // The continuous job: every labeled attack of its snapshot alerted by the job while it keeps
        // running (no drain or end of input flushes its windows: event time moves on through its tail),
        // each alert once although it lost its TaskManager.
        emu.setFaults(Faults.none());
        assertRestoredAfterLosingTheTaskManager(liveJid);
        Path liveAlerts = live.resolve("alerts");
        AtomicReference<LabelMatcher.Result> liveMatch = new AtomicReference<>();
        try {
            cluster.await("the running continuous job to alert every labeled attack", Duration.ofSeconds(90), () -> {
                try {
                    liveMatch.set(LabelMatcher.match(alertsIn(liveAlerts), labels));
                    return liveMatch.get().missed().isEmpty();
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError((liveMatch.get() == null ? "no alerts" : liveMatch.get().summary()) + "\n"
                    + e.getMessage(), e);
        }
        assertThat(cluster.get("/jobs/" + liveJid).path("state").asText())
                .as("the alerts came from a job that is still running").isEqualTo("RUNNING");
        List<Alert> liveAlertList = alertsIn(liveAlerts);
        assertThat(liveAlertList.stream().map(Alert::alertId).toList()).doesNotHaveDuplicates();
        log("continuous job alerts: " + liveAlertList.size() + ", labels " + liveMatch.get().summary(), t0);

        // Live rule changes (issue 17), on the job that lost its TaskManager: attacks before and
        // after a change of threshold; alerts follow the rules in force at each moment.
        liveRuleChanges(live, liveAlerts, liveJid, t0);

        // Its archive: every log that arrived by now, once, and nothing else.
        // From FROM on: yesterday's logs (downloaded above) and the live arrivals; two downloads of the
        // whole range would cost minutes on a busy machine.
        Set<String> arrived = new HashSet<>(expected);
        arrived.addAll(downloadedUuids(arrivalsFrom, null));
        Path liveArchive = live.resolve("archive");
        cluster.await("the continuous job to archive the " + arrived.size() + " logs arrived so far",
                Duration.ofSeconds(60), () -> {
                    try {
                        return new HashSet<>(archivedUuids(liveArchive)).containsAll(arrived);
                    } catch (IOException e) {
                        return false;
                    }
                });
        assertThat(cluster.get("/jobs/" + liveJid).path("state").asText()).isEqualTo("RUNNING");
        List<String> liveArchived = archivedUuids(liveArchive);
        Set<String> arrivedLater = new HashSet<>(expected);
        arrivedLater.addAll(downloadedUuids(arrivalsFrom, null));
        assertThat(liveArchived).doesNotHaveDuplicates();
        assertThat(arrivedLater).containsAll(liveArchived);
        log("continuous job archived " + liveArchived.size() + " logs, each once (" + arrived.size()
                + " had arrived when checked)", t0);
        cluster.patch("/jobs/" + liveJid + "?mode=cancel");

        // Still no secret: the finished job's configuration and plan, and every log line of the cluster and clients.
        assertNoSecretOnTheCluster(jid, password);
        try (Stream<Path> files = Files.list(cluster.logs)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(password).doesNotContain("PRIVATE KEY");
            }
        }
        log("done", t0);
    }

    /**
     * Version {@code v} of the continuous job's watched rule file ({@code live-rules.yml}): a
     * failed-login detection, a correlation over it at {@code threshold} per device, and two rules
     * alerting on their own: the version's probe and a sentinel. Returns the file.
     */
    private static Path liveRules(Path dir, int v, int threshold) throws IOException {
        return Files.writeString(dir.resolve("live-rules.yml"), String.join("\n",
                "title: Cluster test login failure",
                "name: it-cl-failure",
                "detection: {sel: {text|contains: 'cluster test login failure'}, condition: sel}",
                "---",
                "title: Cluster test brute force",
                "name: it-cl-brute",
                "correlation: {type: event_count, rules: [it-cl-failure], group-by: [device.udid], timespan: 5m,",
                "  condition: {gte: " + threshold + "}}",
                "---",
                "title: Cluster test sentinel",
                "name: it-cl-sentinel",
                "detection: {sel: {text|contains: 'cluster test sentinel'}, condition: sel}",
                "---",
                "title: Cluster test rules version " + v,
                "name: it-cl-probe-v" + v,
                "detection: {sel: {text|contains: 'cluster test probe v" + v + "'}, condition: sel}",
                ""));
    }

    /**
     * Steps of live rule changes on the running continuous job. Logs are dated 15 minutes back:
     * behind the job's watermark (out-of-orderness 10 min) yet within the allowed lateness, so each
     * is processed when it arrives, in arrival order per device. A device's burst of failures is
     * followed by a sentinel on the same device (same key, so processed after the burst): once the
     * sentinel's alert is committed, a missing brute-force alert is one that will not come.
     */
    private void liveRuleChanges(Path live, Path liveAlerts, String liveJid, long t0) throws Exception {
        String app = emu.apps().get(0).id();
        // Step 1, rules v1 (5 failures): 6 failures alert.
        awaitLiveRules(app, liveAlerts, 1);
        emu.append(app, burst(app, "cl-before", 6));
        Alert before = awaitLiveAlert(liveAlerts, "it-cl-brute", "cl-before");
        assertThat(before.count()).isEqualTo(5);
        log("live rules v1: brute force alerted at 5", t0);

        // Step 2: the threshold becomes 8 while the job runs. 6 failures no longer alert; 8 do.
        liveRules(live, 2, 8);
        awaitLiveRules(app, liveAlerts, 2);
        emu.append(app, burst(app, "cl-after-6", 6));
        emu.append(app, burst(app, "cl-after-8", 8));
        assertThat(awaitLiveAlert(liveAlerts, "it-cl-brute", "cl-after-8").count()).isEqualTo(8);
        awaitLiveAlert(liveAlerts, "it-cl-sentinel", "cl-after-6");
        assertThat(alertsIn(liveAlerts)).as("6 failures under the raised threshold")
                .noneMatch(a -> a.ruleId().equals("it-cl-brute") && "cl-after-6".equals(a.group().get("device.udid")));
        log("live rules v2: threshold 8 in force, 6 failures quiet, 8 alerted", t0);

        // Step 3: an exception for it-cl-brute is added while the job runs. The exceptions file is
        // written before the probe's version, so v3's probe alert tells the exception is in force.
        Files.writeString(live.resolve("live-exceptions.yml"), String.join("\n",
                "exceptions:",
                "  - id: ex-cl-qa",
                "    rule: it-cl-brute",
                "    field: text",
                "    values: ['cluster test login failure for qa-bot']",
                ""));
        liveRules(live, 3, 8);
        awaitLiveRules(app, liveAlerts, 3);
        emu.append(app, burst(app, "cl-excepted", "qa-bot", 8));
        emu.append(app, burst(app, "cl-plain", 8));
        assertThat(awaitLiveAlert(liveAlerts, "it-cl-brute", "cl-plain").count()).isEqualTo(8);
        awaitLiveAlert(liveAlerts, "it-cl-sentinel", "cl-excepted");
        assertThat(alertsIn(liveAlerts)).as("8 excepted failures").noneMatch(
                a -> a.ruleId().equals("it-cl-brute") && "cl-excepted".equals(a.group().get("device.udid")));
        // Each excepted failure is a dropped match, in the job's accumulators (the exception came
        // after the failover, so none was lost with the TaskManager).
        String dropped = DetectionPipeline.DROPPED_PREFIX + "exception ex-cl-qa (it-cl-brute)";
        AtomicReference<String> count = new AtomicReference<>();
        cluster.await(dropped + " = 8 in the running job", Duration.ofSeconds(60), () -> {
            JsonNode acc = cluster.tryGet("/jobs/" + liveJid + "/accumulators");
            if (acc != null) {
                for (JsonNode a : acc.path("user-task-accumulators")) {
                    if (a.path("name").asText().equals(dropped)) {
                        count.set(a.path("value").asText());
                    }
                }
            }
            return "8".equals(count.get());
        });
        log("live rules v3: exception in force, excepted failures quiet and counted, plain ones alerted", t0);
    }

    /** {@code n} failed logins on {@code device}, then the sentinel, dated 15 minutes back. */
    private List<LogRecord> burst(String app, String device, int n) {
        return burst(app, device, "bob", n);
    }

    /** {@code n} failed logins of {@code user} on {@code device}, then the sentinel, dated 15 minutes back. */
    private List<LogRecord> burst(String app, String device, String user, int n) {
        Instant from = Instant.now().minus(15, ChronoUnit.MINUTES);
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            out.add(liveLog(app, device, i < n ? "cluster test login failure for " + user : "cluster test sentinel",
                    from.plusSeconds(i)));
        }
        return out;
    }

    private LogRecord liveLog(String app, String device, String text, Instant time) {
        return LogRecord.builder().put(LogFields.UUID, java.util.UUID.randomUUID().toString()).put(LogFields.APP, app)
                .put(LogFields.DEVICE_UDID, device).put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, time.toString()).build();
    }

    /** Sends a probe for rules version {@code v} every second until its alert is committed. */
    private void awaitLiveRules(String app, Path liveAlerts, int v) throws InterruptedException {
        long[] next = {System.nanoTime()};
        cluster.await("rules v" + v + " in force in the running job", Duration.ofSeconds(60), () -> {
            try {
                if (alertsIn(liveAlerts).stream().anyMatch(a -> a.ruleId().equals("it-cl-probe-v" + v))) {
                    return true;
                }
            } catch (IOException e) {
                // not readable yet
            }
            if (System.nanoTime() >= next[0]) { // a probe a second; the poll itself runs faster
                next[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                emu.append(app, List.of(liveLog(app, "cl-prober", "cluster test probe v" + v,
                        Instant.now().minus(15, ChronoUnit.MINUTES))));
            }
            return false;
        });
    }

    private static Alert awaitLiveAlert(Path liveAlerts, String rule, String device) throws InterruptedException {
        AtomicReference<Alert> found = new AtomicReference<>();
        cluster.await(rule + " alert for " + device + " from the running job", Duration.ofSeconds(60), () -> {
            try {
                alertsIn(liveAlerts).stream().filter(a -> a.ruleId().equals(rule)
                        && device.equals(a.group().get("device.udid"))).findFirst().ifPresent(found::set);
            } catch (IOException e) {
                return false;
            }
            return found.get() != null;
        });
        return found.get();
    }

    /** Waits until the job of {@code jobFile} runs; its id. Fails early when {@code client} ends with an error. */
    private static String awaitRunningJob(Path jobFile, Process client) throws InterruptedException {
        AtomicReference<String> jobId = new AtomicReference<>();
        String name = "fendersec: " + jobFile;
        cluster.await("the job of " + jobFile + " to run", Duration.ofSeconds(120), () -> {
            if (!client.isAlive() && client.exitValue() != 0) {
                throw new AssertionError("flink run ended with exit " + client.exitValue() + "\n" + cluster.logTails());
            }
            JsonNode jobs = cluster.tryGet("/jobs/overview");
            if (jobs == null) {
                return false;
            }
            for (JsonNode j : jobs.path("jobs")) {
                String id = j.path("jid").asText();
                if ("RUNNING".equals(j.path("state").asText()) && name.equals(j.path("name").asText())) {
                    jobId.set(id);
                    return true;
                }
            }
            return false;
        });
        return jobId.get();
    }

    /** The job failed over when the TaskManager was lost and was restored from a checkpoint, not started over. */
    private static void assertRestoredAfterLosingTheTaskManager(String jid) throws Exception {
        JsonNode checkpoints = cluster.get("/jobs/" + jid + "/checkpoints");
        assertThat(checkpoints.path("latest").path("restored").isObject()).as(checkpoints.toString()).isTrue();
        assertThat(cluster.getText("/jobs/" + jid + "/exceptions")).containsIgnoringCase("taskmanager");
    }

    private static void assertSameUuids(List<String> actual, List<String> expected) {
        List<String> a = new ArrayList<>(actual);
        List<String> e = new ArrayList<>(expected);
        Collections.sort(a);
        Collections.sort(e);
        assertThat(a).as("archived uuids, sorted, against the emulator's").hasSameSizeAs(e);
        assertThat(a.equals(e)).as("archived uuids, sorted, equal the emulator's").isTrue();
    }

    private void assertNoSecretOnTheCluster(String jid, String password) throws Exception {
        String jobConfig = cluster.getText("/jobs/" + jid + "/config");
        String plan = cluster.getText("/jobs/" + jid + "/plan");
        assertThat(jobConfig).contains("fendersec: ");
        assertThat(plan).contains("archive");
        for (String path : List.of("/jobs/" + jid + "/config", "/jobs/" + jid + "/plan", "/jobs/" + jid,
                "/jobmanager/config", "/jobmanager/environment", "/taskmanagers")) {
            String body = cluster.getText(path);
            assertThat(body).as(path).doesNotContain(password).doesNotContain("PRIVATE KEY");
        }
    }

    /** The job's state once the REST API reports a terminal one; fails after 30 s. */
    private static String terminalState(String jid) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state = cluster.get("/jobs/" + jid).path("state").asText();
        while (!List.of("FINISHED", "FAILED", "CANCELED").contains(state) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            state = cluster.get("/jobs/" + jid).path("state").asText();
        }
        return state;
    }

    private static int completedCheckpoints(String jid) {
        JsonNode c = cluster.tryGet("/jobs/" + jid + "/checkpoints");
        return c == null ? 0 : c.path("counts").path("completed").asInt();
    }

    private static Path writeContinuousJob(Path dir, Instant from) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "source:\n  url: " + emu.baseUrl() + "\n"
                + "  auth: {method: jwt, client-id: svc, private-key: " + keys.resolve("private-key.pem") + "}\n"
                + "  mode: continuous\n  from: " + from + "\n  page-size: 500\n  poll-interval: 1s\n"
                + "rules: {builtin: [all], sigma: [" + liveRules(dir, 1, 5) + "], exceptions: "
                + Files.writeString(dir.resolve("live-exceptions.yml"), "exceptions: []\n") + ", reload-interval: 1s}\n"
                + "sinks:\n  archive: {path: " + dir.resolve("archive") + "}\n"
                + "  alerts:\n    - {type: file, path: " + dir.resolve("alerts") + "}\n"
                + "checkpointing: {interval: 1s, dir: " + dir.resolve("checkpoints").toUri() + "}\n"
                + "parallelism: 2\n");
        return f;
    }

    private static Path writeBoundedJob(Path dir) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "source:\n  url: " + emu.baseUrl() + "\n"
                + "  auth: {method: jwt, client-id: svc, private-key: " + keys.resolve("private-key.pem") + "}\n"
                + "  mode: bounded\n  from: " + FROM + "\n  to: " + END + "\n  slice: 2h\n  page-size: 500\n"
                + "sinks:\n"
                + "  archive: {path: " + dir.resolve("archive") + "}\n"
                + "  alerts:\n"
                + "    - {type: file, path: " + dir.resolve("alerts") + "}\n"
                + "    - type: jdbc\n"
                + "      url: " + TestPostgres.url() + "\n"
                + "      user: " + TestPostgres.user() + "\n"
                + "      password: ${env:" + PASSWORD_ENV + "}\n"
                + "      table: " + TABLE + "\n"
                + "checkpointing: {interval: 1s, dir: " + dir.resolve("checkpoints").toUri() + "}\n"
                + "parallelism: 2\n");
        return f;
    }

    static List<String> downloadedUuids(Instant from, Instant to) {
        ClientSettings settings = ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().clientId("svc").privateKeyFile(keys.resolve("private-key.pem").toString())
                        .build()).build();
        List<String> uuids = new ArrayList<>();
        try (BugfenderApi api = BugfenderApi.create(settings, null)) {
            for (App app : api.apps()) {
                api.download(LogQuery.builder(app.id(), from).to(to).build(), (LogRecord r) -> uuids.add(r.uuid()));
            }
        }
        return uuids;
    }

    /** Committed part files only (in-progress and pending files start with a dot). */
    private static List<Path> committedFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    static List<String> archivedUuids(Path archive) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> uuids = new ArrayList<>();
        for (Path f : committedFiles(archive)) {
            for (String line : Files.readAllLines(f)) {
                uuids.add(json.readTree(line).get("uuid").asText());
            }
        }
        return uuids;
    }

    static List<Alert> alertsIn(Path dir) throws IOException {
        List<Alert> alerts = new ArrayList<>();
        for (Path f : committedFiles(dir)) {
            for (String line : Files.readAllLines(f)) {
                alerts.add(AlertJson.fromJson(line));
            }
        }
        return alerts;
    }

    private static void log(String what, long t0) {
        System.err.printf("StandaloneClusterIT %6.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
