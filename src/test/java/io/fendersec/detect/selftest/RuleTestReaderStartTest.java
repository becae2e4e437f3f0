package io.fendersec.detect.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.model.LogRecord;

/**
 * What a test's {@code at} counts from: the example's own {@code start}, else the file's, else
 * {@link RuleTestReader#DEFAULT_START}. A rule whose window or expiry depends on the date (a
 * time-of-day rule, an exception that expires) needs its example on a day of its own.
 *
 * <p>Mutations caught: the example's {@code start} read but ignored (its logs dated from the
 * file's start), or the file's start ignored when the example has none.
 */
class RuleTestReaderStartTest {
    @Test
    void anExampleCountsFromItsOwnStartThenTheFilesThenTheDefault() {
        List<RuleTestCase> cases = RuleTestReader.read("night.tests.yml", """
                start: 2026-03-01T10:00:00Z
                tests:
                  - name: at night
                    start: 2026-07-04T23:59:30Z
                    logs:
                      - {at: +0s, device.udid: a1, text: 'Login failed for bob'}
                      - {at: +45s, device.udid: a1, text: 'Login failed for bob'}
                    expect-not: [brute-force]
                  - name: by day
                    logs:
                      - {at: +5m, device.udid: a1, text: 'Login failed for bob'}
                    expect-not: [brute-force]
                """);
        assertThat(times(cases.get(0))).containsExactly("2026-07-04T23:59:30Z", "2026-07-05T00:00:15Z");
        assertThat(times(cases.get(1))).containsExactly("2026-03-01T10:05:00Z");

        List<RuleTestCase> noFileStart = RuleTestReader.read("plain.tests.yml", """
                tests:
                  - name: own start
                    start: 2025-12-31T23:00:00Z
                    logs: [{at: +1h, device.udid: a1, text: x}]
                    expect-not: [brute-force]
                  - name: default
                    logs: [{at: +1h, device.udid: a1, text: x}]
                    expect-not: [brute-force]
                """);
        assertThat(times(noFileStart.get(0))).containsExactly("2026-01-01T00:00:00Z");
        assertThat(times(noFileStart.get(1))).containsExactly("2026-01-01T01:00:00Z");
    }

    private static List<String> times(RuleTestCase c) {
        return c.logs().stream().map(LogRecord::time).map(Object::toString).toList();
    }
}
