package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An evidence log's text is cut to {@link EvidenceLog#MAX_TEXT} UTF-16 units without splitting a
 * character: the cut text goes to JSON sinks and PostgreSQL's {@code jsonb}, which refuses a lone
 * surrogate (the whole alert would be lost), and an attacker chooses where the emoji falls.
 *
 * <p>Mutation caught: {@code cap} cutting at the limit without the surrogate check (the emoji's
 * high surrogate is kept alone before the cut mark).
 */
class EvidenceLogTest {
    private static final String GRIN = "\uD83D\uDE00"; // 😀, two UTF-16 units

    @Test
    void anEmojiAcrossTheCutIsDroppedWholeNotSplit() {
        // 999 letters, then the emoji takes units 999 and 1000: the limit falls between its halves.
        String text = "a".repeat(999) + GRIN + "tail";
        EvidenceLog log = EvidenceLog.capped("u-1", 5, "dev-1", "info", text);
        assertThat(log.text()).isEqualTo("a".repeat(999) + "…");
        assertThat(log.text().chars().noneMatch(c -> Character.isSurrogate((char) c))).as("no half of the emoji").isTrue();
    }

    @Test
    void anEmojiThatFitsIsKeptWhole() {
        String text = "a".repeat(998) + GRIN + "b";
        assertThat(EvidenceLog.cap(text, 1000)).isEqualTo("a".repeat(998) + GRIN + "…");
        assertThat(EvidenceLog.cap("a".repeat(1000), 1000)).as("at the limit: not cut").isEqualTo("a".repeat(1000));
        assertThat(EvidenceLog.cap("a".repeat(1001), 1000)).isEqualTo("a".repeat(1000) + "…");
    }
}
