package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.cli.Main;

/** Bad input on the emulator's command line: one clear line and exit code 2, before anything is served. */
class EmulatorCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
    }

    private void assertConfigError(String expected, String... args) {
        assertThat(Main.run(args)).isEqualTo(2);
        String out = err.toString(StandardCharsets.UTF_8).trim();
        assertThat(out.lines().count()).as(out).isEqualTo(1);
        assertThat(out).contains(expected);
    }

    @Test
    void malformedPublicKey() throws Exception {
        Path key = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN PUBLIC KEY-----\nbm9wZQ==\n-----END PUBLIC KEY-----\n");
        assertConfigError("--service-account sa-1", "emulator", "--port", "0", "--service-account", "sa-1:" + key);
    }

    @Test
    void notAPemFile() throws Exception {
        Path key = Files.writeString(dir.resolve("bad.pem"), "hello");
        assertConfigError("not a PEM public key", "emulator", "--port", "0", "--service-account", "sa-1:" + key);
    }

    @Test
    void missingKeyFile() {
        assertConfigError("cannot read public key file", "emulator", "--port", "0", "--service-account", "sa-1:" + dir.resolve("none.pem"));
    }

    @Test
    void malformedCidr() {
        assertConfigError("--client-secret cs-1: entry 1 of the list after the secret is not a CIDR range", "emulator",
                "--port", "0", "--client-secret", "cs-1:s3cret:10.0.0.0/33");
        err.reset();
        assertConfigError("--client-secret cs-1: entry 2 of the list after the secret is not a CIDR range", "emulator",
                "--port", "0", "--client-secret", "cs-1:s3cret:10.0.0.0/8,300.1.1.1");
    }

    @Test
    void malformedEnd() {
        assertConfigError("--end must be an RFC 3339", "emulator", "--port", "0", "--end", "28/11/2026");
    }

    @Test
    void unknownScenario() {
        assertConfigError("--scenario must be none, all or a comma list of", "emulator", "--port", "0", "--scenario", "apocalypse");
    }

    @Test
    void malformedLatency() {
        assertConfigError("--latency: expected a duration such as 250ms, 10s, 5m, 1h or 7d, got 'soon'", "emulator", "--port", "0",
                "--latency", "soon");
    }

    @Test
    void errorRateOutOfRange() {
        assertConfigError("between 0 and 1", "emulator", "--port", "0", "--error-rate", "1.5");
    }

    @Test
    void secretsAreNotEchoed() {
        assertConfigError("cs-1:***", "emulator", "--port", "0", "--client-secret", "cs-1:");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret");
    }

    @Test
    void noPartOfASecretIsEchoed() {
        assertConfigError("--client-secret must look like ID:SECRET[:CIDR,...], not '***'", "emulator", "--port", "0",
                "--client-secret", "TOPSECRET3");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("TOPSECRET3");
        err.reset();
        // A secret holding ':' is split there: its tail is taken for the allowlist and must not be shown either.
        assertConfigError("--client-secret ID: entry 1", "emulator", "--port", "0", "--client-secret", "ID:Pa55:W0rd");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("W0rd", "Pa55");
        err.reset();
        assertConfigError("--integration int-1: entry 1", "emulator", "--port", "0", "--integration", "int-1:Pa55:W0rd");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("TOPSECRET3", "W0rd", "Pa55");
    }

    @Test
    void anAddressThatCannotBeBoundIsAConfigurationError() {
        assertConfigError("--bind 999.1.1.1", "emulator", "--port", "0", "--bind", "999.1.1.1", "--logs-per-day", "10",
                "--days", "1");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertConfigError("--port " + taken.getLocalPort(), "emulator", "--port", Integer.toString(taken.getLocalPort()),
                    "--logs-per-day", "10", "--days", "1");
        }
    }
}
