package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;
import io.fendersec.model.EvidenceLog;

/** Issue 26 §2: U+0000 and lone surrogates become U+FFFD in every text of an alert; nothing else changes. */
class SinkSafeTextTest {
    // Mutation caught: U+0000 passed through (PostgreSQL refuses the batch).
    @Test
    void u0000IsReplaced() {
        assertThat(SinkSafeText.of("dev\u0000ice")).isEqualTo("dev\uFFFDice");
        assertThat(SinkSafeText.of("\u0000")).isEqualTo("\uFFFD");
    }

    // Mutation caught: only high (or only low) surrogates checked; a lone one at the end of the text missed.
    @Test
    void loneSurrogatesAreReplacedWhereverTheyStand() {
        assertThat(SinkSafeText.of("\uD83Dx")).isEqualTo("\uFFFDx");
        assertThat(SinkSafeText.of("x\uDE00")).isEqualTo("x\uFFFD");
        assertThat(SinkSafeText.of("ab\uD83D")).isEqualTo("ab\uFFFD");
        assertThat(SinkSafeText.of("\uDE00\uD83D")).as("reversed pair: two lone halves").isEqualTo("\uFFFD\uFFFD");
    }

    // Mutation caught: every surrogate replaced, so an emoji in a device name is destroyed.
    @Test
    void pairsAndOrdinaryTextPassUnchanged() {
        String emoji = "phone \uD83D\uDE00 \u202e <b>\t";
        assertThat(SinkSafeText.of(emoji)).isSameAs(emoji);
        assertThat(SinkSafeText.of(null)).isNull();
    }

    // Mutation caught: a field left out of SinkSafeAlerts.clean (group keys, evidence log text, device, ...).
    @Test
    void everyTextOfAnAlertIsCleanedAndItsNumbersKept() {
        Alert raw = Alert.builder().alertId("id-1").ruleId("secret-in-log").kind("detection").title("Secret in \u0000log")
                .severity("high").app("app\uD800").group(Map.of("device.udid", "u\u0000d", "fi\uDC00le", "x"))
                .window(1, 2).seen(3, 4).count(7).evidence(List.of("uuid\u0000")).device("d\u0000")
                .tags(List.of("t\uD800")).references(List.of("r\u0000"))
                .evidenceLogs(List.of(EvidenceLog.of("uu\u0000", 5, "d\uDC00", "info", "password=\u0000\uD800"))).build();
        Alert clean = SinkSafeAlerts.clean(raw);
        assertThat(clean.title()).isEqualTo("Secret in \uFFFDlog");
        assertThat(clean.app()).isEqualTo("app\uFFFD");
        assertThat(clean.group()).isEqualTo(Map.of("device.udid", "u\uFFFDd", "fi\uFFFDle", "x"));
        assertThat(clean.evidence()).containsExactly("uuid\uFFFD");
        assertThat(clean.device()).isEqualTo("d\uFFFD");
        assertThat(clean.tags()).containsExactly("t\uFFFD");
        assertThat(clean.references()).containsExactly("r\uFFFD");
        EvidenceLog log = clean.evidenceLogs().get(0);
        assertThat(log.uuid()).isEqualTo("uu\uFFFD");
        assertThat(log.device()).isEqualTo("d\uFFFD");
        assertThat(log.text()).isEqualTo("password=\uFFFD\uFFFD");
        assertThat(log.timeMillis()).isEqualTo(5);
        assertThat(clean.alertId()).isEqualTo("id-1");
        assertThat(clean.count()).isEqualTo(7);
        assertThat(clean.firstSeen().toEpochMilli()).isEqualTo(3);
        Alert ordinary = TestAlerts.alert(1, 1);
        assertThat(SinkSafeAlerts.clean(ordinary)).isSameAs(ordinary);
    }
}
