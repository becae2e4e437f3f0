package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.fendersec.error.ConfigException;

/** The one duration grammar: a whole number and ms, s, m, h or d. */
class DurationsTest {
    @Test
    void readsEveryUnit() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void allowsBlanksAndEitherCaseAsTheFormerGrammarsDid() {
        assertThat(Durations.parse(" 5 m ")).isEqualTo(Duration.ofMinutes(5)); // job specs allowed a blank
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1)); // Sigma timespans were read in either case
        assertThat(Durations.parse("50MS")).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void rejectsWhatIsNotOfTheForm() {
        for (String bad : new String[] {"50", "1 hour", "-5m", "1.5h", "5w", "m", "", "ms5", "5 m s", "9999999999999999h",
                "99999999999999999999s"}) {
            assertThat(Durations.parse(bad)).as(bad).isNull();
        }
        assertThat(Durations.parse(null)).isNull();
    }

    @Test
    void requireNamesWhereAndTheExpectedForm() {
        assertThat(Durations.require("--latency", "50ms")).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> Durations.require("--latency", "soon")).isInstanceOf(ConfigException.class)
                .hasMessage("--latency: expected a duration such as 250ms, 10s, 5m, 1h or 7d, got 'soon'");
    }

    @Test
    void formatsInTheLargestWholeUnitAndReadsBack() {
        for (String s : new String[] {"250ms", "1500ms", "90s", "5m", "1h", "36h", "7d", "0s"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
        assertThat(Durations.format(Duration.ofSeconds(3600))).isEqualTo("1h");
    }
}
