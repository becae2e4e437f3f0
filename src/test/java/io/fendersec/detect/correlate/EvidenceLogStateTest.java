package io.fendersec.detect.correlate;

import static io.fendersec.detect.correlate.CorrelationStateFormatTest.hex;
import static io.fendersec.detect.correlate.CorrelationStateFormatTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertSerializer;
import io.fendersec.model.EvidenceLog;

/**
 * Evidence logs in correlation state: the formats that carry them (frozen here like the older ones
 * in {@link CorrelationStateFormatTest}, which this change keeps byte for byte), and how logs
 * follow the evidence uuids through windows and episodes, capped.
 */
class EvidenceLogStateTest {
    static EvidenceLog log(String uuid, long time) {
        return EvidenceLog.of(uuid, time, "dev-1", "debug", "login failed for <b>bob</b> " + uuid);
    }

    static Hit hitWithLog(long time, String uuid) {
        return new Hit("brute-force", "failed-login", "app-1", Map.of("user.name", "bob"), time, null, "dev-1",
                List.of(uuid), List.of(log(uuid, time)));
    }

    static KeyState keyStateWithLogs() {
        Episode e = new Episode(1_700_000_300_000L, 1_700_000_360_000L, 1_700_000_000_000L, 1_700_000_360_000L,
                1_700_000_010_000L, 1_700_000_350_000L, 2, List.of("u-1", "u-3"), "dev-1", false,
                List.of(log("u-1", 1_700_000_010_000L), log("u-3", 1_700_000_350_000L)));
        return new KeyState(List.of(hitWithLog(1_700_000_400_000L, "u-9")),
                new SlidingWindow(List.of(hitWithLog(1_700_000_010_000L, "u-1"), hitWithLog(1_700_000_350_000L, "u-3")),
                        1_700_000_000_000L), List.of(e));
    }

    /** {@link KeyStateSerializer} format 3: format 2 with each episode's evidence logs; hits in {@link HitSerializer} format 2. */
    static final String KEY_STATE_3 = KeyStateFixtures.KEY_STATE_3;
    static final String HIT_2 = KeyStateFixtures.HIT_2;

    @Test
    void stateWithLogsIsWrittenInTheNewFormatsAndReadBack() throws IOException {
        KeyState s = keyStateWithLogs();
        String bytes = hex(KeyStateSerializer.INSTANCE, s);
        assertThat(bytes).startsWith("fffffffd").isEqualTo(KEY_STATE_3);
        KeyState back = read(KeyStateSerializer.INSTANCE, KEY_STATE_3);
        assertThat(back.episodes()).containsExactlyElementsOf(s.episodes());
        assertThat(back.episodes().get(0).logs()).extracting(EvidenceLog::uuid).containsExactly("u-1", "u-3");
        assertThat(back.pending()).containsExactlyElementsOf(s.pending());
        assertThat(back.window().events()).containsExactlyElementsOf(s.window().events());

        Hit h = hitWithLog(1_700_000_010_000L, "u-1");
        assertThat(hex(HitSerializer.INSTANCE, h)).startsWith("fffffffe").isEqualTo(HIT_2);
        assertThat(read(HitSerializer.INSTANCE, HIT_2)).isEqualTo(h);
        assertThat(read(HitSerializer.INSTANCE, HIT_2).logs()).containsExactly(log("u-1", 1_700_000_010_000L));
    }

    @Test
    void groupHitsWithLogsRoundTrip() throws IOException {
        GroupHits g = new GroupHits(1, "app-1", Map.of("device.udid", "dev-1"), 5, "dev-1", List.of("u-1"),
                List.of(log("u-1", 5)), List.of(new GroupHits.Target("r", "r", null)));
        String bytes = hex(GroupHitsSerializer.INSTANCE, g);
        assertThat(bytes).startsWith("fffffffe");
        GroupHits back = read(GroupHitsSerializer.INSTANCE, bytes);
        assertThat(back).isEqualTo(g);
        assertThat(back.hits().get(0).logs()).containsExactly(log("u-1", 5));
    }

    @Test
    void alertsWithLogsUseFormatTwoAndAlertsWithoutKeepFormatOne() throws IOException {
        Alert a = Alert.builder().alertId("id-1").ruleId("r").title("t").group(Map.of()).evidence(List.of("u-1"))
                .evidenceLogs(List.of(log("u-1", 5))).build();
        String withLogs = hex(AlertSerializer.INSTANCE, a);
        assertThat(withLogs).startsWith("fffffffe");
        assertThat(read(AlertSerializer.INSTANCE, withLogs)).isEqualTo(a);
        String without = hex(AlertSerializer.INSTANCE, a.withoutEvidenceLogs());
        assertThat(without).as("format 1: the alert id's length first").startsWith("00000004");
        assertThat(read(AlertSerializer.INSTANCE, without)).isEqualTo(a.withoutEvidenceLogs());
        assertThat(a.withoutEvidenceLogs().evidence()).containsExactly("u-1");
    }

    @Test
    void episodeLogsFollowItsEvidenceUpToTheCap() {
        int cap = 3;
        WindowMatch first = new WindowMatch(0, 0, 0, 0, 1, List.of("u-0"), List.of(log("u-0", 0)), "dev-1", false);
        Episode e = Episode.open(first);
        for (int i = 1; i < 6; i++) {
            WindowMatch m = new WindowMatch(i, i, i, i, 1, List.of("u-" + i), List.of(log("u-" + i, i)), "dev-1", false);
            e = e.extend(m, true, cap);
        }
        assertThat(e.evidence()).containsExactly("u-0", "u-1", "u-2");
        assertThat(e.logs()).extracting(EvidenceLog::uuid).containsExactly("u-0", "u-1", "u-2");
        // A repeated uuid adds nothing.
        Episode again = Episode.open(first).extend(first, true, cap);
        assertThat(again.logs()).hasSize(1);
    }

    @Test
    void aWindowCollectsTheLogsOfTheEvidenceItKeeps() {
        List<Hit> span = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            span.add(hitWithLog(i, "u-" + i));
        }
        WindowMatch m = WindowMatch.ofSpan(0, 4, 5, span.toArray(new Hit[0]), 2, "dev-1", false);
        assertThat(m.evidence()).containsExactly("u-0", "u-1");
        assertThat(m.logs()).extracting(EvidenceLog::uuid).containsExactly("u-0", "u-1");
        WindowMatch noLogs = WindowMatch.ofSpan(0, 0, 1,
                new Hit[] {new Hit("r", "r", null, Map.of(), 0, null, null, List.of("u"))}, 2, null, false);
        assertThat(noLogs.logs()).isEmpty();
    }
}
