package io.fendersec.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    /** Newline, CR, ESC (ANSI), BEL, DEL, the one-byte C1 CSI, bidi override and isolate, line separator. */
    static final String HOSTILE = "a\nb\rc\u001b[31md\u0007e\u007ff\u009bg\u202eh\u2066i\u2028j\u200fk";

    /** Every character a terminal could act on, or that reorders text. */
    public static boolean hasUnsafe(String s) {
        return s.chars().anyMatch(c -> TerminalText.unsafe((char) c) && c != '\n');
    }

    @Test
    void oneLineEscapesEveryControlAndBidiCharacterVisibly() {
        String out = TerminalText.line(HOSTILE);
        assertThat(out).doesNotContain("\n").matches(s -> !hasUnsafe(s), "no control or bidi character");
        assertThat(out).isEqualTo("a\\nb\\rc\\u001b[31md\\u0007e\\u007ff\\u009bg\\u202eh\\u2066i\\u2028j\\u200fk");
        assertThat(TerminalText.line("Shop iOS – ünïcödé 日本")).isEqualTo("Shop iOS – ünïcödé 日本");
        assertThat(TerminalText.line(null)).isNull();
    }

    @Test
    void linesKeepsNewlinesOnly() {
        assertThat(TerminalText.lines("e1\ne2\u001b[2J\r")).isEqualTo("e1\ne2\\u001b[2J\\r");
    }

    @Test
    void jsonStaysTheSameJsonWithoutRawControls() throws Exception {
        ObjectMapper m = new ObjectMapper();
        String json = m.writeValueAsString(java.util.Map.of("text", HOSTILE));
        String safe = TerminalText.json(json);
        assertThat(hasUnsafe(safe)).isFalse();
        assertThat(m.readTree(safe).get("text").asText()).isEqualTo(HOSTILE);
    }
}
