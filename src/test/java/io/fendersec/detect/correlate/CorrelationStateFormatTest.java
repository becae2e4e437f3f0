package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The correlation state's bytes, frozen: what a savepoint holds for an open window and episode.
 *
 * <p>Each fixture below was written by the serializer of the format it is filed under, and is never
 * edited. The current serializers must write exactly the current format's bytes (a change of
 * bytes without a new format number fails here) and must read every frozen format (a savepoint
 * taken by an older release restores). To change a format: give it a new number, keep reading
 * the old one, and add the new bytes here next to the old.
 */
class CorrelationStateFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    /** {@link KeyStateSerializer} format 2: marker, pending hits, window hits, episodes, history start. */
    private static final String KEY_STATE_2 = "fffffffe000000010000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d31"
            + "0000000200000009757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e69"
            + "700000000b3230332e302e3131332e390000018bcfeb828000000005762d752d39ffffffff0000000100000003752d39"
            + "000000020000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d3100000002"
            + "00000009757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e6970000000"
            + "0b3230332e302e3131332e390000018bcfe58f1000000005762d752d31000000056465762d310000000100000003752d"
            + "310000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d3100000002000000"
            + "09757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e69700000000b3230"
            + "332e302e3131332e390000018bcfeabf3000000005762d752d33000000056465762d310000000100000003752d330000"
            + "00010000018bcfe9fbe00000018bcfeae6400000018bcfe568000000018bcfeae6400000018bcfe58f100000018bcfea"
            + "bf30000000000000000c0000000300000003752d3100000003752d3200000003752d33000000056465762d3100000001"
            + "8bcfe56800";

    /**
     * {@link KeyStateSerializer} format 1, before the window kept its history start: the same fields
     * with no marker and no history start (the layout format 2 documents it extends).
     */
    private static final String KEY_STATE_1 = "000000010000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d3100000002"
            + "00000009757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e6970000000"
            + "0b3230332e302e3131332e390000018bcfeb828000000005762d752d39ffffffff0000000100000003752d3900000002"
            + "0000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d310000000200000009"
            + "757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e69700000000b323033"
            + "2e302e3131332e390000018bcfe58f1000000005762d752d31000000056465762d310000000100000003752d31000000"
            + "0b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d310000000200000009757365"
            + "722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e69700000000b3230332e302e"
            + "3131332e390000018bcfeabf3000000005762d752d33000000056465762d310000000100000003752d33000000010000"
            + "018bcfe9fbe00000018bcfeae6400000018bcfe568000000018bcfeae6400000018bcfe58f100000018bcfeabf300000"
            + "00000000000c0000000300000003752d3100000003752d3200000003752d33000000056465762d3100";

    /** {@link GroupStateSerializer} format 1: pending group hits, then each rule's {@link KeyState}. */
    private static final String GROUP_STATE_1 = "000000010000000100000002000000056170702d310000000100000009757365722e6e616d650000000f626f62406578"
            + "616d706c652e636f6d0000018bcfebd0a0000000056465762d320000000200000004752d313000000004752d31310000"
            + "00020000001362727574652d666f7263652d737563636573730000000b62727574652d666f726365ffffffff00000010"
            + "6163636f756e742d74616b656f766572000000086c6f67696e2d6f6b000000056465762d32000000020000000b627275"
            + "74652d666f726365fffffffe000000010000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e00"
            + "0000056170702d310000000200000009757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009"
            + "736f757263652e69700000000b3230332e302e3131332e390000018bcfeb828000000005762d752d39ffffffff000000"
            + "0100000003752d39000000020000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e0000000561"
            + "70702d310000000200000009757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f7572"
            + "63652e69700000000b3230332e302e3131332e390000018bcfe58f1000000005762d752d31000000056465762d310000"
            + "000100000003752d310000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d"
            + "310000000200000009757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e"
            + "69700000000b3230332e302e3131332e390000018bcfeabf3000000005762d752d33000000056465762d310000000100"
            + "000003752d33000000010000018bcfe9fbe00000018bcfeae6400000018bcfe568000000018bcfeae6400000018bcfe5"
            + "8f100000018bcfeabf30000000000000000c0000000300000003752d3100000003752d3200000003752d330000000564"
            + "65762d31000000018bcfe568000000001363726564656e7469616c2d7374756666696e67fffffffe0000000000000000"
            + "000000007fffffffffffffff";

    /** {@link HitSerializer} and {@link GroupHitsSerializer}: unversioned, written inside the formats above. */
    private static final String HIT = "0000000b62727574652d666f7263650000000c6661696c65642d6c6f67696e000000056170702d310000000200000009"
            + "757365722e6e616d650000000f626f62406578616d706c652e636f6d00000009736f757263652e69700000000b323033"
            + "2e302e3131332e390000018bcfe58f1000000005762d752d31000000056465762d310000000100000003752d31";
    private static final String GROUP_HITS = "00000002000000056170702d310000000100000009757365722e6e616d650000000f626f62406578616d706c652e636f"
            + "6d0000018bcfebd0a0000000056465762d320000000200000004752d313000000004752d313100000002000000136272"
            + "7574652d666f7263652d737563636573730000000b62727574652d666f726365ffffffff000000106163636f756e742d"
            + "74616b656f766572000000086c6f67696e2d6f6b000000056465762d32";

    /** The frozen bytes of each format number the serializers know; the newest is what they write. */
    private static final Map<Integer, String> KEY_STATE = Map.of(KeyStateSerializer.FORMAT_2, KEY_STATE_2);
    private static final Map<Integer, String> GROUP_STATE = Map.of(GroupStateSerializer.FORMAT_1, GROUP_STATE_1);

    static Hit hit(long time, String uuid, String device) {
        Map<String, String> group = new LinkedHashMap<>();
        group.put("user.name", "bob@example.com");
        group.put("source.ip", "203.0.113.9");
        return new Hit("brute-force", "failed-login", "app-1", group, time, "v-" + uuid, device, List.of(uuid));
    }

    static KeyState keyState() {
        Episode e = new Episode(1_700_000_300_000L, 1_700_000_360_000L, 1_700_000_000_000L, 1_700_000_360_000L,
                1_700_000_010_000L, 1_700_000_350_000L, 12, List.of("u-1", "u-2", "u-3"), "dev-1", false);
        return new KeyState(List.of(hit(1_700_000_400_000L, "u-9", null)),
                new SlidingWindow(List.of(hit(1_700_000_010_000L, "u-1", "dev-1"), hit(1_700_000_350_000L, "u-3", "dev-1")),
                        1_700_000_000_000L),
                List.of(e));
    }

    static GroupHits groupHits() {
        return new GroupHits(2, "app-1", Map.of("user.name", "bob@example.com"), 1_700_000_420_000L, "dev-2",
                List.of("u-10", "u-11"), List.of(new GroupHits.Target("brute-force-success", "brute-force", null),
                        new GroupHits.Target("account-takeover", "login-ok", "dev-2")));
    }

    static GroupState groupState() {
        Map<String, KeyState> rules = new TreeMap<>();
        rules.put("brute-force", keyState());
        rules.put("credential-stuffing", new KeyState());
        return new GroupState(List.of(groupHits()), rules);
    }

    @Test
    void theSerializersWriteTheFrozenBytesOfTheirCurrentFormat() throws IOException {
        String why = "the bytes changed: give the format a new number, keep reading the old one, freeze the new bytes";
        assertThat(hex(KeyStateSerializer.INSTANCE, keyState())).as(why)
                .isEqualTo(KEY_STATE.get(KeyStateSerializer.FORMAT_2));
        assertThat(hex(GroupStateSerializer.INSTANCE, groupState())).as(why)
                .isEqualTo(GROUP_STATE.get(GroupStateSerializer.FORMAT_1));
        assertThat(hex(HitSerializer.INSTANCE, hit(1_700_000_010_000L, "u-1", "dev-1"))).as(why).isEqualTo(HIT);
        assertThat(hex(GroupHitsSerializer.INSTANCE, groupHits())).as(why).isEqualTo(GROUP_HITS);
    }

    @Test
    void frozenHitsReadBackFieldByField() throws IOException {
        Hit h = read(HitSerializer.INSTANCE, HIT);
        assertThat(h).isEqualTo(hit(1_700_000_010_000L, "u-1", "dev-1"));
        assertThat(h.group()).containsExactly(Map.entry("user.name", "bob@example.com"),
                Map.entry("source.ip", "203.0.113.9"));
        assertThat(h.time()).isEqualTo(1_700_000_010_000L);
        assertThat(h.evidence()).containsExactly("u-1");

        GroupHits g = read(GroupHitsSerializer.INSTANCE, GROUP_HITS);
        assertThat(g).isEqualTo(groupHits());
        assertThat(g.stage()).isEqualTo(2);
        assertThat(g.targets()).extracting(GroupHits.Target::target)
                .containsExactlyInAnyOrder("brute-force-success", "account-takeover");
    }

    @Test
    void aFrozenKeyStateReadsBackWithItsOpenWindowAndEpisode() throws IOException {
        KeyState s = read(KeyStateSerializer.INSTANCE, KEY_STATE_2);
        assertOpenWindowAndEpisode(s);
        assertThat(s.window().historyStart()).isEqualTo(1_700_000_000_000L);
        assertThat(hex(KeyStateSerializer.INSTANCE, s)).isEqualTo(KEY_STATE_2);
    }

    @Test
    void aFormat1KeyStateFromAnOlderReleaseStillReadsItsHistoryStartingAtItsFirstEvent() throws IOException {
        KeyState s = read(KeyStateSerializer.INSTANCE, KEY_STATE_1);
        assertOpenWindowAndEpisode(s);
        assertThat(s.window().historyStart()).isEqualTo(1_700_000_010_000L);
    }

    @Test
    void aFrozenGroupStateReadsBackWithItsPendingHitsAndEachRulesState() throws IOException {
        GroupState s = read(GroupStateSerializer.INSTANCE, GROUP_STATE_1);
        assertThat(s.pending()).containsExactly(groupHits());
        assertThat(s.rules()).containsOnlyKeys("brute-force", "credential-stuffing");
        assertOpenWindowAndEpisode(s.rules().get("brute-force"));
        assertThat(s.rules().get("credential-stuffing").isEmpty()).isTrue();
        assertThat(hex(GroupStateSerializer.INSTANCE, s)).isEqualTo(GROUP_STATE_1);
    }

    private static void assertOpenWindowAndEpisode(KeyState s) {
        assertThat(s.pending()).containsExactly(hit(1_700_000_400_000L, "u-9", null));
        assertThat(s.window().events()).containsExactly(hit(1_700_000_010_000L, "u-1", "dev-1"),
                hit(1_700_000_350_000L, "u-3", "dev-1"));
        assertThat(s.episodes()).hasSize(1);
        Episode e = s.episodes().get(0);
        assertThat(e.start()).isEqualTo(1_700_000_300_000L);
        assertThat(e.lastMatch()).isEqualTo(1_700_000_360_000L);
        assertThat(e.windowStart()).isEqualTo(1_700_000_000_000L);
        assertThat(e.windowEnd()).isEqualTo(1_700_000_360_000L);
        assertThat(e.firstSeen()).isEqualTo(1_700_000_010_000L);
        assertThat(e.lastSeen()).isEqualTo(1_700_000_350_000L);
        assertThat(e.count()).isEqualTo(12);
        assertThat(e.evidence()).containsExactly("u-1", "u-2", "u-3");
        assertThat(e.device()).isEqualTo("dev-1");
        assertThat(e.mixedDevices()).isFalse();
    }

    static <T> String hex(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(value, out);
        return HEX.formatHex(out.getCopyOfBuffer());
    }

    static <T> T read(TypeSerializer<T> s, String hex) throws IOException {
        byte[] b = HEX.parseHex(hex);
        DataInputDeserializer in = new DataInputDeserializer(b);
        T v = s.deserialize(in);
        assertThat(in.available()).as("bytes left after reading").isZero();
        return v;
    }
}
