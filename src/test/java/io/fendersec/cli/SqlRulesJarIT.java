package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * A SQL rule run by the shaded jar (bad files: SqlRulesConfigIT; one jar start here, as each
 * costs ~30 s of planner start on two cores) with plain {@code java -jar}: the table planner loader must
 * find and extract its embedded planner from inside fendersec.jar.
 */
class SqlRulesJarIT {
    @TempDir
    Path dir;

    static String login(String uuid, String model, String user, String time) {
        return "{\"uuid\":\"" + uuid + "\",\"app\":\"app-1\",\"device.udid\":\"d-" + model
                + "\",\"device.type\":\"" + model + "\",\"log_level\":4,\"time\":\"" + time
                + "\",\"text\":\"Login succeeded for user=" + user + "\"}";
    }

    @Test
    void rulesTestRunsASampleSqlRuleFromTheJar() throws Exception {
        Files.writeString(dir.resolve("logs.ndjson"), String.join("\n",
                login("l1", "iPhone14,2", "alice@example.com", "2026-03-01T10:00:00Z"),
                login("l2", "SM-G991B", "alice@example.com", "2026-03-01T11:00:00Z"),
                login("l3", "Pixel 8", "bob@example.com", "2026-03-01T11:00:00Z")) + "\n");
        Path rule = Path.of("sql/new-device-model-login.sql").toAbsolutePath();
        ShadedJarIT.Result r = ShadedJarIT.run(dir, "rules", "test", "--sql", rule.toString(), "--logs", "logs.ndjson");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        List<Alert> alerts = r.out().lines().filter(l -> l.startsWith("{")).map(AlertJson::fromJson).toList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).ruleId()).isEqualTo("new-device-model-login");
        assertThat(alerts.get(0).evidence()).containsExactly("l2");
    }
}
