package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class TimeBucketsTest {
    static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void hoursWhileAWeekOfHoursFits() {
        assertThat(TimeBuckets.choose(t("2026-03-01T10:00:00Z"), t("2026-03-01T10:00:00Z"))).isEqualTo(TimeBuckets.HOUR);
        // 168 hourly buckets exactly: 00:xx on day 1 to 23:xx on day 7.
        assertThat(TimeBuckets.choose(t("2026-03-01T00:30:00Z"), t("2026-03-07T23:59:00Z"))).isEqualTo(TimeBuckets.HOUR);
        assertThat(TimeBuckets.choose(t("2026-03-01T00:30:00Z"), t("2026-03-08T00:00:00Z"))).isEqualTo(TimeBuckets.DAY);
    }

    @Test
    void weeksBeyond168Days() {
        assertThat(TimeBuckets.choose(t("2026-01-01T00:00:00Z"), t("2026-06-17T00:00:00Z"))).isEqualTo(TimeBuckets.DAY);
        assertThat(TimeBuckets.choose(t("2025-01-01T00:00:00Z"), t("2026-06-17T00:00:00Z"))).isEqualTo(TimeBuckets.WEEK);
    }

    @Test
    void startsCoverEveryBucketEmptyOnesIncluded() {
        assertThat(TimeBuckets.HOUR.starts(t("2026-03-01T10:59:59Z"), t("2026-03-01T13:00:00Z")))
                .containsExactly(t("2026-03-01T10:00:00Z"), t("2026-03-01T11:00:00Z"), t("2026-03-01T12:00:00Z"),
                        t("2026-03-01T13:00:00Z"));
        // 2026-03-04 is a Wednesday: its week starts Monday 2026-03-02 (UTC).
        assertThat(TimeBuckets.WEEK.floor(t("2026-03-04T18:00:00Z"))).isEqualTo(t("2026-03-02T00:00:00Z"));
        assertThat(TimeBuckets.WEEK.starts(t("2026-03-04T18:00:00Z"), t("2026-03-16T00:00:00Z")))
                .containsExactly(t("2026-03-02T00:00:00Z"), t("2026-03-09T00:00:00Z"), t("2026-03-16T00:00:00Z"));
    }

    @Test
    void anySpanKeepsTheChartWithinMaxBuckets() {
        // One alert from a device whose clock says 9999 next to today's: years in steps, never 400 000 weeks.
        for (String[] span : new String[][] {{"2026-03-01T00:00:00Z", "9999-12-31T23:59:59Z"},
                {"1970-01-01T00:00:00Z", "2026-03-01T00:00:00Z"}, {"-999999999-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z"},
                {"2026-01-01T00:00:00Z", "2035-06-01T00:00:00Z"}}) {
            Instant min = Instant.parse(span[0]);
            Instant max = Instant.parse(span[1]);
            TimeBuckets b = TimeBuckets.choose(min, max);
            List<Instant> starts = b.starts(min, max);
            assertThat(starts).as(b.label()).hasSizeLessThanOrEqualTo(TimeBuckets.MAX_BUCKETS).isSorted();
            assertThat(starts.get(0)).isBeforeOrEqualTo(min);
            assertThat(starts.get(starts.size() - 1)).isEqualTo(b.floor(max));
        }
        assertThat(TimeBuckets.choose(t("2026-03-01T00:00:00Z"), t("9999-12-31T00:00:00Z")).label()).isEqualTo("50 years");
        assertThat(TimeBuckets.choose(t("2026-01-01T00:00:00Z"), t("2035-06-01T00:00:00Z")).label()).isEqualTo("month");
        assertThat(TimeBuckets.choose(t("2000-01-01T00:00:00Z"), t("2100-06-01T00:00:00Z")).label()).isEqualTo("year");
    }
}
