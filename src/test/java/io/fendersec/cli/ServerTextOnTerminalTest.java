package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.error.ExitCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * What a server or a device says reaches the terminal with its control characters escaped: app
 * names in {@code check}, OAuth error answers in error messages, log text in {@code rules test}.
 */
class ServerTextOnTerminalTest {
    /** A forged line, an ANSI colour and title change, a C1 CSI, a right-to-left override. */
    static final String HOSTILE = "Shop\nfendersec: all clear\u001b[31m\u001b]0;owned\u0007\u009b2J\u202egnp.exe";

    static RulesCommandTest.Result run(String... args) {
        return RulesCommandTest.run(args);
    }

    static void assertSafe(String printed) {
        assertThat(printed.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)))
                .as("raw control or bidi characters in: %s", printed).isEmpty();
        assertThat(printed).doesNotContain("\nfendersec: all clear");
    }

    static Path job(Path dir, String url) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
        return Files.writeString(dir.resolve("job.yaml"), "source:\n  url: " + url + "\n  auth:\n    method: client-secret\n"
                + "    client-id: cs-1\n    client-secret: ${file:" + secret + "}\n");
    }

    @Test
    void checkPrintsAHostileAppNameEscaped(@TempDir Path dir) throws Exception {
        try (BugfenderEmulator emu = BugfenderEmulator.builder().apps(0).logsPerDay(0).clientSecret("cs-1", "s3cret", List.of())
                .start()) {
            emu.addApp("evil", HOSTILE);
            RulesCommandTest.Result r = run("check", job(dir, emu.baseUrl()).toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertSafe(r.out());
            assertThat(r.out()).contains("Shop\\nfendersec: all clear\\u001b[31m", "\\u202egnp.exe");
        }
    }

    @Test
    void aHostileOAuthErrorAnswerIsPrintedEscaped(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = new ObjectMapper().writeValueAsBytes(java.util.Map.of("error", "invalid_client" + HOSTILE,
                    "error_description", HOSTILE));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            RulesCommandTest.Result r = run("check", job(dir, "http://127.0.0.1:" + server.getAddress().getPort()).toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.REFUSED);
            assertSafe(r.err());
            assertThat(r.err()).contains("\\u001b]0;owned\\u0007");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void rulesTestPrintsDeviceTextEscapedInValidJson(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), """
                title: Failed login
                name: failed-login
                detection:
                  sel: {text|contains: 'login failed'}
                  condition: sel
                """);
        String udid = "d1\u202e\u009b31m\u007f";
        String line = new ObjectMapper().writeValueAsString(java.util.Map.of("uuid", "u1", "app", "7", "device.udid", udid,
                "time", Instant.parse("2026-03-01T10:59:00Z").toString(), "log_level", 2, "text", "login failed " + HOSTILE));
        Path logs = Files.writeString(dir.resolve("logs.ndjson"), line + "\n", StandardCharsets.UTF_8);
        RulesCommandTest.Result r = run("rules", "test", rules.toString(), "--logs", logs.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.ALERTS);
        assertSafe(r.out());
        assertThat(new ObjectMapper().readTree(r.out()).get("device").asText()).isEqualTo(udid);
    }
}
