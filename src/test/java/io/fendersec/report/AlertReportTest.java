package io.fendersec.report;

import static io.fendersec.report.ReportFixtures.alert;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;
import io.fendersec.report.AlertReport.Count;

class AlertReportTest {
    static final Instant NOW = Instant.parse("2026-03-03T00:00:00Z");

    static AlertReport of(List<Alert> alerts, int top) {
        return AlertReport.of("t", alerts, 1, 0, List.of(), top, NOW);
    }

    @Test
    void timelineCountsPerRuleAndHourWithEmptyHoursBetween() {
        Instant t0 = Instant.parse("2026-03-01T10:05:00Z");
        AlertReport r = of(List.of(
                alert("a", "high", "app", null, Map.of("k", "1"), t0, 5),
                alert("a", "high", "app", null, Map.of("k", "2"), t0.plusSeconds(60), 5),
                alert("b", "low", "app", null, Map.of(), t0.plusSeconds(3 * 3600), 1)), 10);
        AlertReport.Timeline tl = r.timeline();
        assertThat(tl.unit()).isEqualTo("hour");
        assertThat(tl.buckets()).containsExactly("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z",
                "2026-03-01T13:00:00Z");
        assertThat(tl.rules()).containsExactly("a", "b"); // most alerts first
        assertThat(tl.counts().get("a")).containsExactly(2, 0, 0, 0);
        assertThat(tl.counts().get("b")).containsExactly(0, 0, 0, 1);
        assertThat(r.totals().from()).isEqualTo("2026-03-01T10:05:00Z");
        assertThat(r.totals().to()).isEqualTo("2026-03-01T13:05:00Z");
    }

    @Test
    void aSpanOfWeeksIsBucketedByDay() {
        Instant t0 = Instant.parse("2026-03-01T10:05:00Z");
        AlertReport r = of(List.of(alert("a", "high", "app", null, Map.of(), t0, 1),
                alert("a", "high", "app", null, Map.of(), t0.plusSeconds(20L * 86400), 1)), 10);
        assertThat(r.timeline().unit()).isEqualTo("day");
        assertThat(r.timeline().buckets()).hasSize(21).first().isEqualTo("2026-03-01T00:00:00Z");
    }

    @Test
    void reEmissionsOfAnEpisodeCountOnceAsTheirLatestVersion() {
        Instant t0 = Instant.parse("2026-03-01T10:05:00Z");
        Alert first = alert("a", "high", "app", "d1", Map.of("k", "1"), t0, 5);
        Alert grown = first.toBuilder().count(9).evidence(ReportFixtures.evidence(9))
                .seen(t0.toEpochMilli(), t0.plusSeconds(600).toEpochMilli()).build();
        // The grown version comes first in the files: order must not decide.
        AlertReport r = of(List.of(grown, first), 10);
        assertThat(r.totals().alerts()).isEqualTo(1);
        assertThat(r.totals().reemissions()).isEqualTo(1);
        assertThat(r.rows()).singleElement().satisfies(row -> {
            assertThat(row.count()).isEqualTo(9);
            assertThat(row.evidence()).isEqualTo(9);
        });
    }

    @Test
    void severitiesListEveryLevelMostSevereFirstThenOthers() {
        Instant t0 = Instant.parse("2026-03-01T10:05:00Z");
        AlertReport r = of(List.of(alert("a", "high", "app", null, Map.of("k", "1"), t0, 1),
                alert("a", "high", "app", null, Map.of("k", "2"), t0, 1),
                alert("b", "weird", "app", null, Map.of(), t0, 1)), 10);
        assertThat(r.severities()).containsExactly(new Count("critical", 0), new Count("high", 2), new Count("medium", 0),
                new Count("low", 0), new Count("informational", 0), new Count("weird", 1));
    }

    @Test
    void topAppsAndDevicesRankByCountThenNameAndStopAtN() {
        Instant t0 = Instant.parse("2026-03-01T10:05:00Z");
        List<Alert> alerts = new ArrayList<>();
        int k = 0;
        for (String[] ad : new String[][] {{"z", "d9"}, {"z", "d9"}, {"b", "d1"}, {"a", null}, {null, null}}) {
            alerts.add(alert("r", "low", ad[0], ad[1], Map.of("k", String.valueOf(k++)), t0, 1));
        }
        AlertReport r = of(alerts, 2);
        assertThat(r.topApps()).containsExactly(new Count("z", 2), new Count(AlertReport.NO_APP, 1));
        // Alerts whose evidence spans several devices name none: they are left out, not lumped together.
        assertThat(r.topDevices()).containsExactly(new Count("d9", 2), new Count("d1", 1));
        assertThat(r.totals().apps()).isEqualTo(4);
        assertThat(r.totals().devices()).isEqualTo(2);
    }

    @Test
    void rowsCarryTheTableColumnsInFirstSeenOrder() {
        List<Alert> demo = ReportFixtures.demo();
        AlertReport r = of(demo, 10);
        assertThat(r.rows()).hasSize(demo.size());
        AlertReport.Row first = r.rows().get(0);
        assertThat(first.rule()).isEqualTo("brute-force");
        assertThat(first.group()).isEqualTo("source.ip=203.0.113.9");
        assertThat(first.device()).isEqualTo("d1");
        assertThat(first.windowStart()).isEqualTo("2026-03-01T09:10:00Z");
        assertThat(first.windowEnd()).isEqualTo("2026-03-01T09:15:00Z");
        assertThat(first.count()).isEqualTo(7);
        assertThat(first.evidence()).isEqualTo(7);
        assertThat(r.rows()).extracting(AlertReport.Row::windowStart).isSorted();
    }

    @Test
    void noAlertsIsAnEmptyReportNotAnError() {
        AlertReport r = of(List.of(), 10);
        assertThat(r.totals().alerts()).isZero();
        assertThat(r.timeline().buckets()).isEmpty();
        assertThat(r.severities()).hasSize(5).allMatch(c -> c.count() == 0);
        assertThat(r.topApps()).isEmpty();
    }
}
