package io.fendersec.detect.correlate;

import static io.fendersec.detect.correlate.CorrelationStateFormatTest.hex;
import static io.fendersec.detect.correlate.CorrelationStateFormatTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.model.EvidenceLog;

/**
 * {@link GroupHitsSerializer} format 2 (grouped hits carrying evidence logs, pending in correlation
 * state when a sink asks for {@code evidence: logs}), frozen like the formats in
 * {@link CorrelationStateFormatTest}: written once by the serializer, never edited. The serializer
 * must write these bytes and read them back to the values written here by hand.
 *
 * <p>Mutation caught: two fields swapped in both writer and reader (e.g. the device and the app, or
 * a target's source and target): a round trip passes, a savepoint of the previous release does not.
 */
class GroupHitsFormatTest {
    /** Format 2: the marker -2, format 1's fields (stage, app, group, time, device, evidence, targets), the logs. */
    static final String GROUP_HITS_2 = "fffffffe00000002000000056170702d310000000200000009757365722e6e616d650000000f626f62406578616d706c"
            + "652e636f6d00000009736f757263652e69700000000b3230332e302e3131332e390000018bcfebd0a000000005646576"
            + "2d320000000200000004752d313000000004752d3131000000020000001362727574652d666f7263652d737563636573"
            + "730000000b62727574652d666f726365ffffffff0000000e64697374696e63742d7573657273000000086c6f67696e2d"
            + "6f6b0000000f626f62406578616d706c652e636f6d0000000200000004752d31300000018bcfeba99000000005646576"
            + "2d32000000056572726f72000000144c6f67696e206661696c656420666f7220626f6200000004752d31310000018bcf"
            + "ebd0a0000000056465762d3200000004696e666f000000154c6f67696e206f6b20666f7220626f6220f09f8e89";

    static GroupHits groupHitsWithLogs() {
        Map<String, String> group = new LinkedHashMap<>();
        group.put("user.name", "bob@example.com");
        group.put("source.ip", "203.0.113.9");
        return new GroupHits(2, "app-1", group, 1_700_000_420_000L, "dev-2", List.of("u-10", "u-11"),
                List.of(EvidenceLog.of("u-10", 1_700_000_410_000L, "dev-2", "error", "Login failed for bob"),
                        EvidenceLog.of("u-11", 1_700_000_420_000L, "dev-2", "info", "Login ok for bob 🎉")),
                List.of(new GroupHits.Target("brute-force-success", "brute-force", null),
                        new GroupHits.Target("distinct-users", "login-ok", "bob@example.com")));
    }

    @Test
    void format2IsWrittenAsFrozenAndReadBackFieldByField() throws IOException {
        assertThat(hex(GroupHitsSerializer.INSTANCE, groupHitsWithLogs()))
                .as("the bytes changed: give the format a new number, keep reading the old one, freeze the new bytes")
                .isEqualTo(GROUP_HITS_2);
        GroupHits g = read(GroupHitsSerializer.INSTANCE, GROUP_HITS_2);
        assertThat(g.stage()).isEqualTo(2);
        assertThat(g.app()).isEqualTo("app-1");
        assertThat(g.group()).containsExactly(Map.entry("user.name", "bob@example.com"),
                Map.entry("source.ip", "203.0.113.9"));
        assertThat(g.time()).isEqualTo(1_700_000_420_000L);
        assertThat(g.device()).isEqualTo("dev-2");
        assertThat(g.evidence()).containsExactly("u-10", "u-11");
        // Targets in the class's order: by source, then target.
        assertThat(g.targets()).containsExactly(new GroupHits.Target("brute-force-success", "brute-force", null),
                new GroupHits.Target("distinct-users", "login-ok", "bob@example.com"));
        assertThat(g.logs()).extracting(EvidenceLog::uuid, EvidenceLog::timeMillis, EvidenceLog::device,
                EvidenceLog::level, EvidenceLog::text).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("u-10", 1_700_000_410_000L, "dev-2", "error", "Login failed for bob"),
                        org.assertj.core.groups.Tuple.tuple("u-11", 1_700_000_420_000L, "dev-2", "info", "Login ok for bob 🎉"));
    }
}
