package io.fendersec.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fendersec.api.LogQuery;

class BugfenderSplitSerializerTest {
    private static final BugfenderSplitSerializer SER = BugfenderSplitSerializer.INSTANCE;

    /** The split that {@link #V1_FIXTURE} holds. Never change either: they pin the v1 layout. */
    static BugfenderSplit fixtureSplit() {
        LogQuery q = LogQuery.builder("5X3c4veRGV", Instant.parse("2026-01-01T00:00:00Z"))
                .to(Instant.parse("2026-01-01T01:00:00.000000123Z")).pageSize(1000).text("ünïcode").level(2).build();
        return new BugfenderSplit(BugfenderSplit.idFor(q, true), q, true,
                "https://dashboard.bugfender.com/api/app/5X3c4veRGV/logs/paginated?cursor=abc", 17, false,
                "https://dashboard.bugfender.com/api/app/5X3c4veRGV/logs/paginated?cursor=tail");
    }

    /** Bytes written by serializer version 1 (frozen when v1 was made). A v2 must still read them. */
    static final String V1_FIXTURE = "AAAAPjVYM2M0dmVSR1ZAMjAyNi0wMS0wMVQwMDowMDowMFovMjAyNi0wMS0wMVQwMTowMDowMC4wMDAwMDAxMjNaAAAACjVYM2M0"
            + "dmVSR1YAAAAAaVW5AAAAAAABAAAAAGlVxxAAAAB7AAAD6AEAAAAJw7xuw69jb2RlAAEAAAACAQAAAExodHRwczovL2Rhc2hib2Fy"
            + "ZC5idWdmZW5kZXIuY29tL2FwaS9hcHAvNVgzYzR2ZVJHVi9sb2dzL3BhZ2luYXRlZD9jdXJzb3I9YWJjAAAAEQAAAABNaHR0cHM6"
            + "Ly9kYXNoYm9hcmQuYnVnZmVuZGVyLmNvbS9hcGkvYXBwLzVYM2M0dmVSR1YvbG9ncy9wYWdpbmF0ZWQ/Y3Vyc29yPXRhaWw=";

    /** A newest-first split on the answer that fixes its snapshot (no URL) with seen logs: pins the v2 layout. */
    static BugfenderSplit fixtureSplitV2() {
        LogQuery q = LogQuery.builder("5X3c4veRGV", Instant.parse("2026-01-01T00:00:00Z")).pageSize(1000).build();
        return new BugfenderSplit(BugfenderSplit.idFor(q, false), q, false, null, 0, false,
                "https://dashboard.bugfender.com/api/app/5X3c4veRGV/logs/paginated?cursor=tail", true,
                Set.of("b-uuid", "a-uuid"));
    }

    /** Bytes written by serializer version 2 (frozen when v2 was made). Later versions must still read them. */
    static final String V2_FIXTURE = "AAAAJDVYM2M0dmVSR1ZAMjAyNi0wMS0wMVQwMDowMDowMFovdGFpbAAAAAo1WDNjNHZlUkdWAAAAAGlVuQAAAAAAAAAAA+gAAAAA"
            + "AAAAAAAAAAAATWh0dHBzOi8vZGFzaGJvYXJkLmJ1Z2ZlbmRlci5jb20vYXBpL2FwcC81WDNjNHZlUkdWL2xvZ3MvcGFnaW5hdGVk"
            + "P2N1cnNvcj10YWlsAQAAAAIAAAAGYS11dWlkAAAABmItdXVpZA==";

    @Test
    void readsTheFrozenVersion2Bytes() throws IOException {
        byte[] v2 = Base64.getDecoder().decode(V2_FIXTURE);
        assertThat(SER.deserialize(2, v2)).isEqualTo(fixtureSplitV2());
        assertThat(SER.serialize(fixtureSplitV2())).as("v2 is the current layout").isEqualTo(v2);
    }

    @Test
    void roundTripsNewestFirstPositions() throws IOException {
        BugfenderSplit onPage = fixtureSplit().withNewestFirstPosition("http://h/a?cursor=3", 7, false,
                "http://h/a?cursor=t2", Set.of("x"));
        for (BugfenderSplit s : new BugfenderSplit[] {fixtureSplitV2(), onPage}) {
            assertThat(SER.deserialize(SER.getVersion(), SER.serialize(s))).isEqualTo(s);
        }
    }

    @Test
    void roundTripsBoundedAndContinuousSplits() throws IOException {
        BugfenderSplit bounded = fixtureSplit();
        LogQuery open = LogQuery.builder("42", Instant.parse("2026-02-01T00:00:00Z")).pageSize(10).build();
        BugfenderSplit continuous = BugfenderSplit.atStart(open, false, "http://h/a?cursor=1", "http://h/a?cursor=2")
                .withPosition("http://h/a?cursor=9", 3, true);
        for (BugfenderSplit s : new BugfenderSplit[] {bounded, continuous}) {
            BugfenderSplit back = SER.deserialize(SER.getVersion(), SER.serialize(s));
            assertThat(back).isEqualTo(s);
            assertThat(back.query()).isEqualTo(s.query());
        }
    }

    @Test
    void readsTheFrozenVersion1Bytes() throws IOException {
        byte[] v1 = Base64.getDecoder().decode(V1_FIXTURE);
        assertThat(SER.deserialize(1, v1)).isEqualTo(fixtureSplit());
    }

    @Test
    void refusesUnknownVersionsAndTrailingBytes() throws IOException {
        byte[] bytes = SER.serialize(fixtureSplit());
        assertThatThrownBy(() -> SER.deserialize(99, bytes)).isInstanceOf(IOException.class).hasMessageContaining("99");
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> SER.deserialize(1, longer)).isInstanceOf(IOException.class);
    }
}
