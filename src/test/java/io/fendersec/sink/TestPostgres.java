package io.fendersec.sink;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server of the tests. FENDERSEC_TEST_JDBC_URL / _USER / _PASSWORD (environment
 * or system properties) point to one; without them the tests start one with .ci/postgres.sh,
 * the script CI uses. When neither works the test fails, saying how to provide a server: a
 * skipped database test would hide that the alert store was never tested.
 */
public final class TestPostgres {
    private static Map<String, String> settings;

    private TestPostgres() {}

    public static synchronized Map<String, String> settings() {
        if (settings == null) {
            settings = find();
        }
        return settings;
    }

    public static String url() {
        return settings().get("FENDERSEC_TEST_JDBC_URL");
    }

    public static String user() {
        return settings().get("FENDERSEC_TEST_JDBC_USER");
    }

    public static String password() {
        return settings().get("FENDERSEC_TEST_JDBC_PASSWORD");
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    private static Map<String, String> find() {
        Map<String, String> m = new HashMap<>();
        for (String k : new String[] {"FENDERSEC_TEST_JDBC_URL", "FENDERSEC_TEST_JDBC_USER", "FENDERSEC_TEST_JDBC_PASSWORD"}) {
            String v = System.getProperty(k, System.getenv(k));
            if (v != null && !v.isEmpty()) {
                m.put(k, v);
            }
        }
        if (m.containsKey("FENDERSEC_TEST_JDBC_URL")) {
            return m;
        }
        Path script = Path.of(System.getProperty("basedir", ".")).resolve(".ci/postgres.sh");
        String how = "Tests of the PostgreSQL alert store need a server. Set FENDERSEC_TEST_JDBC_URL, "
                + "FENDERSEC_TEST_JDBC_USER and FENDERSEC_TEST_JDBC_PASSWORD, or let the tests run .ci/postgres.sh "
                + "(needs Debian's postgresql package, or root to install it). See README, 'Tests that need PostgreSQL'.";
        try {
            Path out = Files.createTempFile("postgres-sh", ".out");
            Process p = new ProcessBuilder("bash", script.toString()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                fail(script + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "). " + how);
            }
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            Files.delete(out);
        } catch (IOException e) {
            fail("cannot run " + script + " (" + e.getMessage() + "). " + how);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while starting PostgreSQL");
        }
        if (!m.containsKey("FENDERSEC_TEST_JDBC_URL")) {
            fail(script + " printed no FENDERSEC_TEST_JDBC_URL. " + how);
        }
        return m;
    }
}
