package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The fast path gives what {@link OffsetDateTime#parse} gives, for valid, odd and broken inputs alike. */
class Rfc3339Test {

    private static Instant reference(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void agreesWithOffsetDateTimeParse() {
        List<String> inputs = new ArrayList<>(List.of("2026-11-26T16:06:24.357Z", "2026-11-26T16:06:24Z",
                "2026-11-26T16:06:24.123456789Z", "2026-11-26T16:06:24.1234567891Z", "2026-11-26T16:06:24.Z",
                "2026-11-26T16:06:24+02:00", "2026-11-26T16:06:24.5-05:30", "2026-11-26T16:06:24+18:00",
                "2026-11-26T16:06:24+18:01", "2026-11-26T16:06:24+19:00", "2026-11-26T16:06:24-00:00",
                "2026-11-26T16:06:24+0200", "2026-11-26T16:06:24+02:00:30", "2026-02-29T00:00:00Z",
                "2024-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "2026-11-26T24:00:00Z", "2026-11-26T23:60:00Z", "2026-11-26T23:59:60Z", "2026-11-26t16:06:24Z",
                "2026-11-26T16:06:24z", "2026-11-26T16:06Z", "2026-11-26 16:06:24Z", "0000-01-01T00:00:00Z",
                "+12026-01-01T00:00:00Z", "2026-11-26T16:06:24", "2026-11-26T16:06:24Zjunk", "２０２６-11-26T16:06:24Z",
                "2026-1a-26T16:06:24Z", "", "garbage"));
        Random r = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", r.nextInt(10_000),
                    r.nextInt(14), r.nextInt(33), r.nextInt(25), r.nextInt(61), r.nextInt(61)));
            if (r.nextBoolean()) {
                sb.append('.');
                for (int k = r.nextInt(11); k > 0; k--) {
                    sb.append((char) ('0' + r.nextInt(10)));
                }
            }
            switch (r.nextInt(3)) {
                case 0 -> sb.append('Z');
                case 1 -> sb.append(String.format("%c%02d:%02d", r.nextBoolean() ? '+' : '-', r.nextInt(20), r.nextInt(61)));
                default -> { }
            }
            inputs.add(sb.toString());
        }
        int fast = 0;
        for (String s : inputs) {
            assertThat(Rfc3339.parse(s)).as(s).isEqualTo(reference(s));
            if (Rfc3339.fast(s) != null) {
                fast++;
            }
        }
        assertThat(fast).as("the fast path takes the usual forms").isGreaterThan(2_000);
        assertThat(Rfc3339.fast("2026-11-26T16:06:24.357Z")).isEqualTo(Instant.parse("2026-11-26T16:06:24.357Z"));
    }

    @Test
    void aBuilderUsedAgainAfterBuildDoesNotChangeTheBuiltRecord() {
        LogRecord.Builder b = LogRecord.builder().put(LogFields.UUID, "u1").put(LogFields.TIME, "2026-01-01T00:00:00Z");
        LogRecord first = b.build();
        b.put(LogFields.UUID, "u2").put(LogFields.TEXT, "more");
        assertThat(first.uuid()).isEqualTo("u1");
        assertThat(first.has(LogFields.TEXT)).isFalse();
        assertThat(b.build().uuid()).isEqualTo("u2");
        assertThat(first.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
