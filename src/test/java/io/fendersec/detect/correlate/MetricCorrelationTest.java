package io.fendersec.detect.correlate;

import static io.fendersec.detect.correlate.CorrelationSemanticsTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * The metric correlation types (Sigma v2.1's value_sum, value_avg, value_percentile, pySigma's
 * value_median) and value_count over a list of fields, as docs/rules.md defines them. Every
 * expected number is worked out by hand in the comment beside it; each test names the realistic
 * bug it catches (each was made and seen failing).
 */
class MetricCorrelationTest {
    static final String UPLOAD = """
            title: Upload
            name: upload
            detection:
              sel: {text|contains: 'upload'}
              condition: sel
            """;

    static String correlation(String type, String condition) {
        return UPLOAD + """
                ---
                title: Metric
                name: metric
                correlation:
                  type: %s
                  rules: [upload]
                  group-by: [device.udid]
                  timespan: 5m
                  condition: %s
                """.formatted(type, condition);
    }

    static int seq;

    /** An upload log at {@code minute:second} carrying {@code field: value} (no field when value is null). */
    static LogRecord upload(int minute, int second, String field, Object value) {
        LogRecord.Builder b = LogRecord.builder().put("uuid", "m" + (seq++)).put("app", "app1")
                .put("device.udid", "d1").put("time", at(minute, second)).put("text", "upload done");
        if (value != null) {
            b.put(field, value);
        }
        return b.build();
    }

    static List<Alert> run(String rules, List<LogRecord> logs) {
        return CorrelationSemanticsTest.run(rules, logs);
    }

    /**
     * value_sum of bytes over 5 minutes >= 1000. Logs: 600 @0:00, 300 @5:01, 300 @5:30, 500 @9:00.
     * Span ending 5:01 is [0:01, 5:01]: 300. Ending 5:30: [0:30, 5:30]: 300+300 = 600. Ending 9:00:
     * [4:00, 9:00]: 300+300+500 = 1100 >= 1000: one alert, count 1100, evidence the last three.
     * Catches: a sum that does not give back what leaves the span (600 stays: 1200 at 5:30, count 1700).
     */
    @Test
    void valueSumSlidesWithTheWindow() {
        List<LogRecord> logs = List.of(upload(0, 0, "bytes", 600L), upload(5, 1, "bytes", 300L),
                upload(5, 30, "bytes", 300L), upload(9, 0, "bytes", 500L));
        List<Alert> alerts = run(correlation("value_sum", "{gte: 1000, field: bytes}"), logs);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).count()).isEqualTo(1100);
        assertThat(alerts.get(0).evidence()).containsExactly(logs.get(1).getString("uuid"),
                logs.get(2).getString("uuid"), logs.get(3).getString("uuid"));
    }

    /**
     * Attacker-written values: NaN, Infinity, hex, thousands separators, other scripts' digits and
     * text are no numbers and take no part (one each, alone in the span: no alert from 1e6-sized
     * readings a lenient parser would find). Catches: parsing with Double.parseDouble (NaN and
     * Infinity pass, "Infinity" alone makes the sum infinite and fires) or Character.isDigit (Arabic
     * digits read as 12000).
     */
    @Test
    void textThatIsNoNumberTakesNoPart() {
        List<LogRecord> logs = new ArrayList<>();
        int minute = 0;
        for (String v : List.of("NaN", "Infinity", "-Infinity", "0x100000", "1,000,000", "١٢٠٠٠", "12000 bytes",
                "1e", "", " ")) {
            logs.add(upload(minute, 0, "bytes", v));
            minute += 10; // each alone in its span
        }
        assertThat(run(correlation("value_sum", "{gte: 1000, field: bytes}"), logs)).isEmpty();
    }

    /**
     * A huge exponent counts as 10^18 (bounded, and still "more than" any threshold), and does not
     * wipe out the small values after it once it has left: 1e999999 @0:00, then 300 @2:00:00..04
     * (five). Span ending 0:00: 10^18 >= 1000: alert 1, count 10^18. Span ending 2:00:03 is
     * [1:55:03, 2:00:03]: 4 x 300 = 1200 >= 1000: alert 2 opens with count 1200 (past the 1 h
     * suppression: a new episode; an alert reports the span that opened it).
     * Catches: a double running sum (10^18 + 300 - 10^18 is 256 or 384 in doubles: wrong count, or
     * no alert), and an unbounded BigDecimal (1e999999 costs megabytes per add).
     */
    @Test
    void aHugeExponentIsBoundedAndLeavesExactly() {
        List<LogRecord> logs = new ArrayList<>();
        logs.add(upload(0, 0, "bytes", "1e999999"));
        for (int s = 0; s < 5; s++) {
            logs.add(upload(120, s, "bytes", 300L));
        }
        List<Alert> alerts = run(correlation("value_sum", "{gte: 1000, field: bytes}"), logs);
        assertThat(alerts).extracting(Alert::count).containsExactly(1_000_000_000_000_000_000L, 1200L);
    }

    /**
     * value_avg of latency > 500: 400 @0:00, "n/a" @0:10, 700 @0:20. The average at 0:20 is
     * (400 + 700) / 2 = 550 (the event without a number is not in the denominator): one alert,
     * count 550. Catches: dividing by every event of the span ((400+700)/3 = 366: no alert).
     */
    @Test
    void valueAvgDividesByTheEventsWithANumber() {
        List<LogRecord> logs = List.of(upload(0, 0, "latency", 400L), upload(0, 10, "latency", "n/a"),
                upload(0, 20, "latency", 700L));
        List<Alert> alerts = run(correlation("value_avg", "{gt: 500, field: latency}"), logs);
        assertThat(alerts).extracting(Alert::count).containsExactly(550L);
    }

    /**
     * The condition is tested on the exact mean, the alert reports it rounded down: 400 and 601
     * average 500.5 > 500.4 (a fractional threshold): alert, count 500. Catches: testing the
     * rounded count (500 > 500.4 is false: no alert).
     */
    @Test
    void valueAvgTestsTheExactMeanAgainstAFractionalBound() {
        List<LogRecord> logs = List.of(upload(0, 0, "latency", 400L), upload(0, 10, "latency", "601"));
        List<Alert> alerts = run(correlation("value_avg", "{gt: 500.4, field: latency}"), logs);
        assertThat(alerts).extracting(Alert::count).containsExactly(500L);
    }

    /**
     * value_percentile 90 by nearest rank over 100, 200, ..., 1000 ms (one every 10 s): after the
     * 9th, ceil(0.9 * 9) = 9th smallest = 900; after the 10th, ceil(0.9 * 10) = 9th = 900. So
     * {gte: 900} alerts (count 900) and {gte: 901} never does. Catches: linear interpolation (910
     * at ten numbers: the second rule fires) and a rank one too high (the 10th, 1000).
     */
    @Test
    void valuePercentileIsTheNearestRank() {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            logs.add(upload(0, i * 10, "ms", (long) i * 100));
        }
        assertThat(run(correlation("value_percentile", "{gte: 900, percentile: 90, field: ms}"), logs))
                .extracting(Alert::count).containsExactly(900L);
        assertThat(run(correlation("value_percentile", "{gte: 901, percentile: 90, field: ms}"), logs)).isEmpty();
    }

    /**
     * value_median of 10, 20, 30, 1000 (in that order): medians 10, 15, 20, 25 (even count: the
     * mean of the two middle numbers). {eq: 25} holds at the fourth only: count 25. Catches: taking
     * the upper (30) or lower (20) middle number of an even count.
     */
    @Test
    void valueMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        List<LogRecord> logs = List.of(upload(0, 0, "ms", 10L), upload(0, 1, "ms", 20L), upload(0, 2, "ms", 30L),
                upload(0, 3, "ms", 1000L));
        assertThat(run(correlation("value_median", "{eq: 25, field: ms}"), logs))
                .extracting(Alert::count).containsExactly(25L);
    }

    /**
     * value_count over [user, country] counts distinct combinations: (bob, ES), (bob, FR), (bob,
     * DE), (alice, ES), (bob, ES) again, (carol, no country): 4 combinations, the last not counted.
     * {gte: 4}: one alert, count 4; {gte: 5}: none. Catches: counting distinct values of the first
     * field only (bob, alice, carol: 3, no alert), or counting an event that lacks one of the
     * fields (5: the second rule fires).
     */
    @Test
    void valueCountOverFieldsCountsCombinations() {
        List<LogRecord> logs = new ArrayList<>();
        String[][] rows = {{"bob", "ES"}, {"bob", "FR"}, {"bob", "DE"}, {"alice", "ES"}, {"bob", "ES"}, {"carol", null}};
        for (int i = 0; i < rows.length; i++) {
            LogRecord.Builder b = LogRecord.builder().put("uuid", "c" + (seq++)).put("app", "app1")
                    .put("device.udid", "d1").put("time", at(0, i)).put("text", "upload done").put("user", rows[i][0]);
            if (rows[i][1] != null) {
                b.put("country", rows[i][1]);
            }
            logs.add(b.build());
        }
        assertThat(run(correlation("value_count", "{gte: 4, field: [user, country]}"), logs))
                .extracting(Alert::count).containsExactly(4L);
        assertThat(run(correlation("value_count", "{gte: 5, field: [user, country]}"), logs)).isEmpty();
    }

    /**
     * The attacker chooses the values: (ab, c) and (a, bc) are two combinations, though their
     * texts run together alike. {gte: 2}: one alert. Catches: joining the values with nothing or a
     * separator the values may hold (one combination: no alert).
     */
    @Test
    void combinationsCannotBeForgedByTheValues() {
        List<LogRecord> logs = new ArrayList<>();
        String[][] rows = {{"ab", "c"}, {"a", "bc"}, {"a\u001f", "c"}, {"a", "\u001fc"}};
        for (int i = 0; i < 2; i++) {
            logs.add(LogRecord.builder().put("uuid", "f" + (seq++)).put("app", "app1").put("device.udid", "d1")
                    .put("time", at(0, i)).put("text", "upload done").put("user", rows[i][0])
                    .put("country", rows[i][1]).build());
        }
        assertThat(run(correlation("value_count", "{gte: 2, field: [user, country]}"), logs))
                .extracting(Alert::count).containsExactly(2L);
        List<LogRecord> separated = new ArrayList<>();
        for (int i = 2; i < 4; i++) {
            separated.add(LogRecord.builder().put("uuid", "f" + (seq++)).put("app", "app1").put("device.udid", "d1")
                    .put("time", at(0, i)).put("text", "upload done").put("user", rows[i][0])
                    .put("country", rows[i][1]).build());
        }
        assertThat(run(correlation("value_count", "{gte: 2, field: [user, country]}"), separated))
                .extracting(Alert::count).containsExactly(2L);
    }

    /**
     * Aliases reach the measured field: uploads carry bytes_out, downloads size; value_sum of the
     * alias "volume" over both: 700 (upload) + 400 (download) = 1100 >= 1000: alert, count 1100.
     * Catches: reading the alias name itself from the events (no such field: no numbers, no alert).
     */
    @Test
    void aliasesNameTheMeasuredFieldPerRule() {
        String rules = UPLOAD + """
                ---
                title: Download
                name: download
                detection:
                  sel: {text|contains: 'download'}
                  condition: sel
                ---
                title: Volume
                name: volume
                correlation:
                  type: value_sum
                  rules: [upload, download]
                  group-by: [device.udid]
                  timespan: 5m
                  aliases:
                    volume: {upload: bytes_out, download: size}
                  condition: {gte: 1000, field: volume}
                """;
        List<LogRecord> logs = List.of(upload(0, 0, "bytes_out", 700L),
                LogRecord.builder().put("uuid", "d" + (seq++)).put("app", "app1").put("device.udid", "d1")
                        .put("time", at(1, 0)).put("text", "download done").put("size", 400L).build());
        assertThat(run(rules, logs)).extracting(Alert::count).containsExactly(1100L);
    }

    /** Documents that cannot mean anything are one clear error naming what to write. */
    @Test
    void malformedMetricCorrelationsAreRejected() {
        assertThatThrownBy(() -> load(correlation("value_sum", "{gte: 1000}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("value_sum correlation needs 'field'");
        assertThatThrownBy(() -> load(correlation("value_percentile", "{gte: 5, field: ms}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs 'percentile'");
        assertThatThrownBy(() -> load(correlation("value_percentile", "{gte: 5, percentile: 101, field: ms}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> load(correlation("value_sum", "{gte: 5, field: [a, b]}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one 'field', not a list");
        assertThatThrownBy(() -> load(correlation("event_count", "{gte: 2.5}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a whole number");
        assertThatThrownBy(() -> load(correlation("event_count", "{gte: 2, percentile: 50}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("condition operator 'percentile'");
    }

    private static void load(String rules) {
        RuleLoader.create().text("rules.yml", rules).load();
    }
}
