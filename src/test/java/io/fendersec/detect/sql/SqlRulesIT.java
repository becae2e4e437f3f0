package io.fendersec.detect.sql;

import static io.fendersec.detect.sql.SqlFixtures.DAY1;
import static io.fendersec.detect.sql.SqlFixtures.SAMPLES;
import static io.fendersec.detect.sql.SqlFixtures.log;
import static io.fendersec.detect.sql.SqlFixtures.login;
import static io.fendersec.detect.sql.SqlFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/** The sample SQL rules and the row-to-alert mapping on a real MiniCluster, Kryo disabled. */
class SqlRulesIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    static Instant at(String isoTime) {
        return Instant.parse(isoTime);
    }

    // --- device-many-accounts -------------------------------------------------------------------

    /** Five accounts on one device between 23:00 and 01:00: a calendar-day bucket sees 3 + 2. */
    static List<LogRecord> manyAccountsLogs() {
        List<LogRecord> logs = new ArrayList<>();
        String[] night = {"2026-03-01T23:00:00Z", "2026-03-01T23:30:00Z", "2026-03-01T23:50:00Z",
            "2026-03-02T00:30:00Z", "2026-03-02T01:00:00Z"};
        for (int i = 0; i < night.length; i++) {
            logs.add(login("d1-" + i, "d1", "Pixel 8", "user" + i + "@example.com", at(night[i]), i % 2 == 0));
        }
        // d2: four accounts, many times each: below the threshold
        for (int i = 0; i < 20; i++) {
            logs.add(login("d2-" + i, "d2", "Pixel 8", "family" + (i % 4) + "@example.com",
                    DAY1.plus(Duration.ofMinutes(30L * i)), true));
        }
        // d3: five accounts, but over 29 hours: no 24 h span holds more than four
        int[] hours = {0, 7, 14, 21, 29};
        for (int i = 0; i < hours.length; i++) {
            logs.add(login("d3-" + i, "d3", "Pixel 8", "shift" + i + "@example.com",
                    DAY1.plus(Duration.ofHours(hours[i])), true));
        }
        // d4: many accounts in texts that are not logins
        for (int i = 0; i < 6; i++) {
            logs.add(log("d4-" + i, "app-1", "d4", "Pixel 8", "1.0", 4, DAY1.plus(Duration.ofMinutes(i)),
                    "profile viewed by user=viewer" + i + "@example.com"));
        }
        return logs;
    }

    @Test
    void deviceManyAccountsFindsFiveAccountsAcrossMidnightOnceAndNothingElse() throws Exception {
        List<Alert> alerts = run(manyAccountsLogs(), List.of(SAMPLES.resolve("device-many-accounts.sql")));
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("device-many-accounts");
        assertThat(a.group()).isEqualTo(Map.of("device.udid", "d1"));
        assertThat(a.device()).isEqualTo("d1");
        assertThat(a.severity()).isEqualTo("high");
        assertThat(a.count()).isEqualTo(5);
        assertThat(a.evidence()).containsExactlyInAnyOrder("d1-0", "d1-1", "d1-2", "d1-3", "d1-4");
        // the first 24 h window (1 h slide) that holds 23:00 to 01:00 starts at 02:00 the day before
        assertThat(a.windowStart()).isEqualTo(at("2026-03-01T02:00:00Z"));
        assertThat(a.windowEnd()).isEqualTo(at("2026-03-02T02:00:00Z"));
        assertThat(a.firstSeen()).isEqualTo(at("2026-03-01T23:00:00Z"));
        assertThat(a.lastSeen()).isEqualTo(at("2026-03-02T01:00:00Z"));
        assertThat(a.alertId()).isEqualTo(Alert.idFor("device-many-accounts", "app-1", Map.of("device.udid", "d1"),
                at("2026-03-01T02:00:00Z").toEpochMilli()));
    }

    @Test
    void aCalendarDayTumbleMissesTheSameAttack() throws Exception {
        // the sample rule with HOP replaced by a 1-day TUMBLE: the docs' example of a boundary miss
        String hop = Files.readString(SAMPLES.resolve("device-many-accounts.sql"));
        String tumble = hop.replace("HOP(TABLE logs, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '1' DAY)",
                "TUMBLE(TABLE logs, DESCRIPTOR(ts), INTERVAL '1' DAY)").replace("-- rule: device-many-accounts", "");
        assertThat(tumble).contains("TUMBLE(");
        Path file = Files.writeString(dir.resolve("tumble-many-accounts.sql"), tumble);
        assertThat(run(manyAccountsLogs(), List.of(file))).isEmpty();
    }
}
