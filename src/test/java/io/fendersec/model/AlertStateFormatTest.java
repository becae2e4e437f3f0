package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * An alert's bytes, frozen: alerts live in savepoints (a SQL rule's pending episodes, sink
 * buffers), so a change of field order is a change of format even when writer and reader agree.
 * Like {@code CorrelationStateFormatTest}: each fixture was written once by the serializer of the
 * format it is filed under and is never edited; the serializer must write exactly these bytes and
 * read them back field by field to the values written here by hand.
 *
 * <p>Mutation caught: {@code tags} and {@code references} swapped in both writer and reader (a
 * round trip still passes; a savepoint of the previous release reads its ATT&CK tags as references).
 */
class AlertStateFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Format 1: an alert without evidence logs (starts with the alert id's length). */
    private static final String FORMAT_1 = "00000003612d310000000b62727574652d666f7263650000000b636f7272656c6174696f6e0000000b42727574652066"
            + "6f7263650000000468696768000000056170702d310000000200000009757365722e6e616d650000000f626f62406578"
            + "616d706c652e636f6d00000009736f757263652e69700000000b3230332e302e3131332e390000018bcfe56800000001"
            + "8bcfe9fbe00000018bcfe58f100000018bcfe9d4d0000000000000000a0000000200000003752d3100000003752d3200"
            + "0000056465762d31000000020000001861747461636b2e63726564656e7469616c2d6163636573730000000c61747461"
            + "636b2e7431313130000000010000002a68747470733a2f2f61747461636b2e6d697472652e6f72672f746563686e6971"
            + "7565732f54313131302f";
    /** Format 2: the marker -2, format 1's fields, then the evidence logs. */
    private static final String FORMAT_2 = "fffffffe00000003612d310000000b62727574652d666f7263650000000b636f7272656c6174696f6e0000000b427275"
            + "746520666f7263650000000468696768000000056170702d310000000200000009757365722e6e616d650000000f626f"
            + "62406578616d706c652e636f6d00000009736f757263652e69700000000b3230332e302e3131332e390000018bcfe568"
            + "000000018bcfe9fbe00000018bcfe58f100000018bcfe9d4d0000000000000000a0000000200000003752d3100000003"
            + "752d32000000056465762d31000000020000001861747461636b2e63726564656e7469616c2d6163636573730000000c"
            + "61747461636b2e7431313130000000010000002a68747470733a2f2f61747461636b2e6d697472652e6f72672f746563"
            + "686e69717565732f54313131302f0000000100000003752d310000018bcfe58f10000000056465762d31000000056572"
            + "726f720000000c4c6f67696e206661696c6564";

    static Alert alert(boolean logs) {
        Map<String, String> group = new LinkedHashMap<>();
        group.put("user.name", "bob@example.com");
        group.put("source.ip", "203.0.113.9");
        Alert.Builder b = Alert.builder().alertId("a-1").ruleId("brute-force").kind("correlation")
                .title("Brute force").severity("high").app("app-1").group(group)
                .window(1_700_000_000_000L, 1_700_000_300_000L).seen(1_700_000_010_000L, 1_700_000_290_000L)
                .count(10).evidence(List.of("u-1", "u-2")).device("dev-1")
                .tags(List.of("attack.credential-access", "attack.t1110"))
                .references(List.of("https://attack.mitre.org/techniques/T1110/"));
        if (logs) {
            b.evidenceLogs(List.of(EvidenceLog.of("u-1", 1_700_000_010_000L, "dev-1", "error", "Login failed")));
        }
        return b.build();
    }

    @Test
    void theSerializerWritesTheFrozenBytesOfBothFormats() throws IOException {
        String why = "the bytes changed: give the format a new number, keep reading the old one, freeze the new bytes";
        assertThat(hex(alert(false))).as(why).isEqualTo(FORMAT_1);
        assertThat(hex(alert(true))).as(why).isEqualTo(FORMAT_2);
    }

    @Test
    void frozenAlertsReadBackFieldByField() throws IOException {
        for (String frozen : List.of(FORMAT_1, FORMAT_2)) {
            Alert a = read(frozen);
            assertThat(a.alertId()).isEqualTo("a-1");
            assertThat(a.ruleId()).isEqualTo("brute-force");
            assertThat(a.kind()).isEqualTo("correlation");
            assertThat(a.title()).isEqualTo("Brute force");
            assertThat(a.severity()).isEqualTo("high");
            assertThat(a.app()).isEqualTo("app-1");
            assertThat(a.group()).containsExactly(Map.entry("user.name", "bob@example.com"),
                    Map.entry("source.ip", "203.0.113.9"));
            assertThat(a.windowStartMillis()).isEqualTo(1_700_000_000_000L);
            assertThat(a.windowEndMillis()).isEqualTo(1_700_000_300_000L);
            assertThat(a.firstSeenMillis()).isEqualTo(1_700_000_010_000L);
            assertThat(a.lastSeenMillis()).isEqualTo(1_700_000_290_000L);
            assertThat(a.count()).isEqualTo(10);
            assertThat(a.evidence()).containsExactly("u-1", "u-2");
            assertThat(a.device()).isEqualTo("dev-1");
            assertThat(a.tags()).containsExactly("attack.credential-access", "attack.t1110");
            assertThat(a.references()).containsExactly("https://attack.mitre.org/techniques/T1110/");
        }
        assertThat(read(FORMAT_1).evidenceLogs()).isEmpty();
        assertThat(read(FORMAT_2).evidenceLogs()).singleElement().satisfies(l -> {
            assertThat(l.uuid()).isEqualTo("u-1");
            assertThat(l.timeMillis()).isEqualTo(1_700_000_010_000L);
            assertThat(l.device()).isEqualTo("dev-1");
            assertThat(l.level()).isEqualTo("error");
            assertThat(l.text()).isEqualTo("Login failed");
        });
    }

    static String hex(Alert a) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        AlertSerializer.INSTANCE.serialize(a, out);
        return HEX.formatHex(out.getCopyOfBuffer());
    }

    static Alert read(String hex) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(HEX.parseHex(hex));
        Alert a = AlertSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("bytes left after reading").isZero();
        return a;
    }
}
