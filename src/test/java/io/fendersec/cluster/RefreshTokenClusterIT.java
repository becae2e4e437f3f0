package io.fendersec.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import io.fendersec.auth.AuthorizationCode;
import io.fendersec.auth.SecretRef;
import io.fendersec.cli.Main;
import io.fendersec.emulator.BugfenderEmulator;

/**
 * {@code method: refresh-token} on a standalone session cluster with two TaskManager JVMs: a
 * continuous job of parallelism 5 over ten apps (so both TaskManagers run busy readers) against the emulator with
 * 3-second access tokens and rotating refresh tokens. The job keeps running through many token
 * lifetimes with no failover (a reader redeeming the refresh token itself would fail with
 * {@code invalid_grant}), the refresh-token file is rotated again and again (by the enumerator on
 * the JobManager), and every log that arrives is archived once.
 */
class RefreshTokenClusterIT {
    static final String INTEGRATION = "int-cluster";
    static final String INTEGRATION_SECRET = "int-secret-c1u57e";
    static final String CHECKER = "cs-checker";
    static final String CHECKER_SECRET = "cs-secret-0c4e";

    @TempDir
    static Path tmp;
    static BugfenderEmulator emu;
    static FlinkSessionCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // Ten apps: a continuous split per app, owned by reader hash(app) % 5, so most readers are busy.
        emu = BugfenderEmulator.builder().bind("127.0.0.1").port(0).seed(13).apps(10).days(1).logsPerDay(300)
                .liveRate(20).tokenTtl(Duration.ofSeconds(3)).integration(INTEGRATION, INTEGRATION_SECRET)
                .user("alice").clientSecret(CHECKER, CHECKER_SECRET, List.of()).start();
        cluster = new FlinkSessionCluster(tmp.resolve("flink"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
            cluster.keepLogs(Path.of(System.getProperty("basedir", ".")).resolve("target/refresh-token-cluster-logs"));
        }
        if (emu != null) {
            emu.close();
        }
    }

    @Test
    void continuousJobOnTwoTaskManagersOutlivesManyTokenLifetimes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("job"));
        Path secret = dir.resolve("client-secret");
        Files.writeString(secret, INTEGRATION_SECRET + "\n");
        Path tokenFile = dir.resolve("state/refresh-token");
        Instant liveFrom = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "source:\n  url: " + emu.baseUrl() + "\n"
                + "  auth:\n    method: refresh-token\n    client-id: " + INTEGRATION + "\n"
                + "    client-secret: ${file:" + secret + "}\n    refresh-token-file: " + tokenFile + "\n"
                + "  mode: continuous\n  from: " + liveFrom + "\n  poll-interval: 1s\n"
                + "rules: {builtin: []}\n"
                + "sinks:\n  archive: {path: " + dir.resolve("archive") + "}\n"
                + "checkpointing: {interval: 1s, dir: " + dir.resolve("checkpoints").toUri() + "}\n"
                + "parallelism: 5\n");
        assertThat(Main.run("login", job.toString(), "--code", authorizationCode())).isZero();

        cluster.startJobManager();
        cluster.startTaskManager(Map.of());
        cluster.startTaskManager(Map.of());
        cluster.awaitTaskManagers(2, Duration.ofSeconds(90));
        Path jar = Path.of(System.getProperty("fendersec.jar", "target/fendersec.jar")).toAbsolutePath();
        Process client = cluster.flinkRun("client-refresh-token", List.of(jar.toString(), "run", job.toString()), Map.of());
        String jid = awaitRunningJob(job, client);
        if (!client.waitFor(60, TimeUnit.SECONDS) || client.exitValue() != 0) {
            throw new AssertionError("flink run of the continuous job did not return 0\n" + cluster.logTails());
        }
        JsonNode vertices = cluster.get("/jobs/" + jid).path("vertices");
        assertThat(vertices.get(0).path("parallelism").asInt()).isEqualTo(5);

        // The enumerator rotates the stored refresh token about every 2.25 s: watch eight rotations.
        long redeemedBefore = emu.refreshTokensRedeemed();
        long watchStarted = System.nanoTime();
        Set<String> storedTokens = new HashSet<>();
        cluster.await("eight rotations of the refresh-token file", Duration.ofSeconds(120), () -> {
            try {
                storedTokens.add(Files.readString(tokenFile).trim());
            } catch (IOException e) {
                return false; // never half-written (atomic rename); absent only between rename steps
            }
            return storedTokens.size() >= 9;
        });
        // One process renews, once per three quarters of a token's life: five readers doing it themselves
        // would redeem several times as often (and, racing, fail with invalid_grant sooner or later).
        double seconds = (System.nanoTime() - watchStarted) / 1e9;
        long redeemed = emu.refreshTokensRedeemed() - redeemedBefore;
        System.err.printf("RefreshTokenClusterIT: %d refresh grants in %.1f s%n", redeemed, seconds);
        assertThat(redeemed).as("refresh grants in %.1f s", seconds).isLessThanOrEqualTo((long) (seconds / 2.25) + 2);

        Set<String> arrived = new HashSet<>(downloadedUuids(liveFrom));
        assertThat(arrived).isNotEmpty();
        Path archive = dir.resolve("archive");
        cluster.await("the " + arrived.size() + " logs arrived so far in the archive", Duration.ofSeconds(60), () -> {
            try {
                return new HashSet<>(archivedUuids(archive)).containsAll(arrived);
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(archivedUuids(archive)).doesNotHaveDuplicates();
        assertThat(cluster.get("/jobs/" + jid).path("state").asText()).isEqualTo("RUNNING");
        JsonNode exceptions = cluster.get("/jobs/" + jid + "/exceptions");
        assertThat(exceptions.path("exceptionHistory").path("entries")).as(exceptions.toString()).isEmpty();
        cluster.patch("/jobs/" + jid + "?mode=cancel");
        try (Stream<Path> files = Files.list(cluster.logs)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("invalid_grant")
                        .doesNotContain(INTEGRATION_SECRET);
            }
        }
    }

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
                if ("RUNNING".equals(j.path("state").asText()) && name.equals(j.path("name").asText())) {
                    jobId.set(j.path("jid").asText());
                    return true;
                }
            }
            return false;
        });
        return jobId.get();
    }

    /** With a second account (client secret): the test must not redeem the job's refresh token. */
    private static List<String> downloadedUuids(Instant from) {
        ClientSettings settings = ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(CHECKER)
                        .clientSecret(SecretRef.literal(CHECKER_SECRET)).build()).build();
        List<String> uuids = new ArrayList<>();
        try (BugfenderApi api = BugfenderApi.create(settings, null)) {
            for (App app : api.apps()) {
                api.download(LogQuery.builder(app.id(), from).build(), r -> uuids.add(r.uuid()));
            }
        }
        return uuids;
    }

    private static List<String> archivedUuids(Path archive) throws IOException {
        List<String> uuids = new ArrayList<>();
        if (!Files.isDirectory(archive)) {
            return uuids;
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    uuids.add(json.readTree(line).get("uuid").asText());
                }
            }
        }
        return uuids;
    }

    private static String authorizationCode() throws Exception {
        URI url = AuthorizationCode.authorizeUrl(URI.create(emu.baseUrl()), INTEGRATION);
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("<code id=\"code\">([^<]+)</code>").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }
}
