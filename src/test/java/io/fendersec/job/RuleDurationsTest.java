package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.rule.CorrelationRule;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.error.ConfigException;

/**
 * One duration grammar in a job's rules: what {@code rules.suppression} accepts, an override's
 * {@code timespan} and a Sigma correlation's {@code timespan} accept too, and a bad one is an error
 * naming where it is and the expected form.
 */
class RuleDurationsTest {
    private static final String CORRELATION = """
            title: failed login
            name: failed-login
            detection: {sel: {message|contains: 'login failed'}, condition: sel}
            ---
            title: brute force
            name: brute-force
            correlation: {type: event_count, rules: [failed-login], group-by: [ip], timespan: %s, condition: {gte: 5}}
            """;

    @TempDir
    Path dir;

    private JobSpec job(String timespan, String rules) throws Exception {
        Files.writeString(dir.resolve("brute.yml"), CORRELATION.formatted(timespan));
        Path f = Files.writeString(dir.resolve("job.yaml"),
                "source: {emulator: {}}\nrules:\n  builtin: []\n  sigma: [brute.yml]\n" + rules);
        return new JobSpecReader().read(f);
    }

    @Test
    void millisecondsWorkForSuppressionAndForAnOverridesTimespan() throws Exception {
        JobSpec spec = job("5m", "  suppression: 500ms\n  overrides: {brute-force: {timespan: 500ms}}\n");
        assertThat(spec.rules.suppression).isEqualTo(Duration.ofMillis(500));
        RuleSet rules = Pipeline.loadRules(spec);
        assertThat(((CorrelationRule) rules.rules().get("brute-force")).timespan()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void sigmaTimespansKeepTheirFormsAndGainMilliseconds() throws Exception {
        for (String[] c : new String[][] {{"30s", "PT30S"}, {"5m", "PT5M"}, {"1h", "PT1H"}, {"1d", "PT24H"},
                {"1500ms", "PT1.5S"}}) {
            RuleSet rules = Pipeline.loadRules(job(c[0], ""));
            assertThat(((CorrelationRule) rules.rules().get("brute-force")).timespan()).as(c[0])
                    .isEqualTo(Duration.parse(c[1]));
        }
    }

    @Test
    void aBadDurationNamesItsKeyPathAndTheExpectedForm() throws Exception {
        String expected = "expected a duration such as 250ms, 10s, 5m, 1h or 7d, got '5 minutes'";
        assertThatThrownBy(() -> Pipeline.loadRules(job("5m", "  overrides: {brute-force: {timespan: 5 minutes}}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.overrides.brute-force.timespan: " + expected);
        assertThatThrownBy(() -> job("5m", "  suppression: 5 minutes\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.suppression: " + expected);
        assertThatThrownBy(() -> Pipeline.loadRules(job("5 minutes", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("brute.yml:").hasMessageContaining("timespan: " + expected);
    }
}
