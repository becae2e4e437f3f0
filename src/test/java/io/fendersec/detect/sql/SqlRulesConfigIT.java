package io.fendersec.detect.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;

/** Bad SQL rule files fail at validation with a ConfigException (exit 2) that names the file. */
class SqlRulesConfigIT {
    @TempDir
    Path dir;

    private ConfigException failure(String name, String sql) throws Exception {
        Path good = dir.resolve("fine.sql");
        Files.writeString(good, "SELECT app, ts AS first_seen FROM logs");
        Path bad = Files.writeString(dir.resolve(name), sql);
        try {
            SqlRules.validate(List.of(good, bad));
        } catch (ConfigException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG);
            assertThat(e.getMessage()).startsWith(bad.toString() + ":");
            return e;
        }
        throw new AssertionError("no ConfigException for " + name);
    }

    @Test
    void theSamplesValidate() {
        assertThat(SqlRules.validate(List.of(Path.of("sql/device-many-accounts.sql"),
                Path.of("sql/version-error-rate-rise.sql"), Path.of("sql/new-device-model-login.sql"))))
                .extracting(SqlRuleFile::ruleId)
                .containsExactly("device-many-accounts", "version-error-rate-rise", "new-device-model-login");
    }

    @Test
    void syntaxError() throws Exception {
        assertThat(failure("syntax.sql", "SELEC app FROM logs").getMessage()).contains("parse");
    }

    @Test
    void unknownColumnWithItsLine() throws Exception {
        assertThat(failure("unknown.sql", "-- rule: unknown\nSELECT app, ts AS first_seen\nFROM logs\nWHERE devce = 'x'")
                .getMessage()).contains("devce").contains("line 4");
    }

    @Test
    void missingApp() throws Exception {
        assertThat(failure("noapp.sql", "SELECT ts AS first_seen FROM logs").getMessage()).contains("'app'");
    }

    @Test
    void missingEpisodeStart() throws Exception {
        assertThat(failure("nostart.sql", "SELECT app FROM logs").getMessage()).contains("window_start")
                .contains("first_seen");
    }

    @Test
    void resultColumnThatIsNoAlertField() throws Exception {
        assertThat(failure("extra.sql", "SELECT app, ts AS first_seen, `device.udid` AS udid FROM logs")
                .getMessage()).contains("'udid'").contains("group_");
    }

    @Test
    void timeColumnOfTheWrongType() throws Exception {
        assertThat(failure("type.sql", "SELECT app, `time` AS first_seen FROM logs").getMessage())
                .contains("first_seen").contains("TIMESTAMP");
    }

    @Test
    void notAQuery() throws Exception {
        failure("ddl.sql", "CREATE TABLE x (a INT)");
    }

    @Test
    void badHeaderAndDuplicateIds() throws Exception {
        assertThat(failure("sev.sql", "-- severity: urgent\nSELECT app, ts AS first_seen FROM logs").getMessage())
                .contains("sev.sql:1").contains("urgent");
        assertThat(failure("dup.sql", "-- rule: fine\nSELECT app, ts AS first_seen FROM logs").getMessage())
                .contains("'fine'").contains("fine.sql");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> SqlRules.validate(List.of(dir.resolve("absent.sql"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("absent.sql");
    }
}
