package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;
import io.fendersec.emulator.Faults;
import io.fendersec.error.ExitCode;
import io.fendersec.model.Alert;
import io.fendersec.model.LabelMatcher;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.report.AlertFiles;

/**
 * {@code fendersec run} end to end on the local MiniCluster against a real emulator over HTTP:
 * a bounded run with the built-in pack archives exactly what {@code /logs/download} gives for the
 * same range, through 5xx answers, resets, cut-off bodies and short-lived tokens, finds every
 * labeled attack and exits 1.
 */
class RunCommandIT {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Instant FROM = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir
    static Path keys;

    static BugfenderEmulator emu;

    @BeforeAll
    static void start() throws Exception {
        KeyPair kp = EmulatorKeys.generateInto(keys);
        emu = BugfenderEmulator.builder().bind("127.0.0.1").port(0).seed(7).apps(2).days(1).end(END)
                .logsPerDay(12_000).scenario("all").serviceAccount("svc", kp.getPublic(), List.of()).start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path job(Path dir, String extra) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "source:\n  url: " + emu.baseUrl() + "\n"
                + "  auth: {method: jwt, client-id: svc, private-key: " + keys.resolve("private-key.pem") + "}\n"
                + "  mode: bounded\n  from: " + FROM + "\n  to: " + END + "\n  slice: 4h\n  page-size: 250\n"
                + "sinks:\n  archive: {path: " + dir.resolve("archive") + "}\n"
                + "  alerts: [{type: file, path: " + dir.resolve("alerts") + "}]\n"
                + "checkpointing: {interval: 1s}\nparallelism: 2\n" + extra);
        return f;
    }

    static List<String> archivedUuids(Path archive) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> uuids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = json.readTree(line);
                    uuids.add(n.get("uuid").asText());
                }
            }
        }
        return uuids;
    }

    static List<String> downloadedUuids() {
        ClientSettings settings = ClientSettings.builder().baseUrl(emu.baseUrl())
                .auth(AuthSettings.builder().clientId("svc").privateKeyFile(keys.resolve("private-key.pem").toString())
                        .build()).build();
        List<String> uuids = new ArrayList<>();
        try (BugfenderApi api = BugfenderApi.create(settings, null)) {
            for (App app : api.apps()) {
                api.download(LogQuery.builder(app.id(), FROM).to(END).build(), (LogRecord r) -> uuids.add(r.uuid()));
            }
        }
        return uuids;
    }

    @Test
    void boundedRunThroughFaultsArchivesExactlyTheSnapshot(@TempDir Path dir) throws Exception {
        List<String> expected = downloadedUuids();
        assertThat(expected).hasSizeGreaterThan(5_000);
        emu.setFaults(Faults.builder().serverErrorEvery(7).resetEvery(11).truncateEvery(13).build());
        Run r;
        try {
            r = run("run", job(dir, "").toString());
        } finally {
            emu.setFaults(Faults.none());
        }
        // The built-in pack ran: a bounded run that found alerts ends with exit 1.
        assertThat(r.exit).as(r.err).isEqualTo(ExitCode.ALERTS);
        assertThat(archivedUuids(dir.resolve("archive"))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.err).contains("read " + String.format("%,d", expected.size()) + " logs");

        // Every attack the emulator injected (its ground truth, not our rules' output) is found by
        // a rule of the pack. (Precision is the demo's to check: with this seed a benign user's
        // sign-ins from two timezones make one impossible-travel alert, which is fair.)
        RuleSet pack = RuleLoader.builtin();
        List<ScenarioLabel> labels = emu.labels().stream().filter(l -> pack.rule(l.ruleId()) != null).toList();
        assertThat(labels).hasSizeGreaterThanOrEqualTo(10);
        List<Alert> alerts = AlertFiles.read(AlertFiles.find(List.of(dir.resolve("alerts")))).alerts();
        LabelMatcher.Result score = LabelMatcher.match(alerts, labels);
        assertThat(score.missed()).as(score.summary()).isEmpty();
        assertThat(alerts).allSatisfy(a -> assertThat(pack.rule(a.ruleId())).as(a.ruleId()).isNotNull());
        assertThat(r.err).contains("alerts: ");
    }

    @Test
    void refusedCredentialsEndTheRunWithExitThreeAndOneLine(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        EmulatorKeys.generateInto(other); // a key the emulator does not know
        Path f = job(dir, "");
        Files.writeString(f, Files.readString(f).replace(keys.resolve("private-key.pem").toString(),
                other.resolve("private-key.pem").toString()));
        Run r = run("run", f.toString());
        assertThat(r.exit).as(r.err).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err).contains("svc").doesNotContain("BEGIN");
    }

    @Test
    void badSpecIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path f = job(dir, "paralelism: 2\n");
        Run r = run("run", f.toString());
        assertThat(r.exit).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err).contains("paralelism: unknown key (did you mean parallelism?)");
    }
}
