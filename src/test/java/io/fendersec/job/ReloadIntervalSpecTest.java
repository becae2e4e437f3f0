package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;

/** {@code rules.reload-interval}: a positive duration (default 1m) or {@code off}; the patterns kept as written. */
class ReloadIntervalSpecTest {
    @TempDir
    Path dir;

    private JobSpec read(String rules) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/a.yml"), "title: A\nname: a\ndetection: {sel: {text: x}, condition: sel}\n");
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "source:\n  url: https://dashboard.bugfender.com\n  mode: continuous\n"
                + "  auth: {client-id: sa-1, private-key: k.pem}\n" + rules);
        return new JobSpecReader().read(f);
    }

    @Test
    void defaultIsAMinuteAndThePatternsAreKeptAsWritten() throws Exception {
        JobSpec spec = read("rules: {sigma: ['rules/*.yml']}\n");
        assertThat(spec.rules.reloadInterval).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.rules.sigmaPatterns).containsExactly("rules/*.yml");
        assertThat(spec.rules.sigma).containsExactly(dir.resolve("rules/a.yml"));
    }

    @Test
    void offAndDurations() throws Exception {
        assertThat(read("rules: {sigma: [rules], reload-interval: off}\n").rules.reloadInterval).isNull();
        assertThat(read("rules: {reload-interval: 30s}\n").rules.reloadInterval).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badValuesNameTheKeyAndTheForm() {
        assertThatThrownBy(() -> read("rules: {reload-interval: soon}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.reload-interval: expected a duration such as 30s or 1m, or off, got 'soon'");
        assertThatThrownBy(() -> read("rules: {reload-interval: 0s}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.reload-interval: expected a duration above zero");
    }
}
