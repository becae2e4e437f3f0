package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

import io.fendersec.error.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that once escaped the reader as other exceptions (overflows, bad globs, bad paths): each is a config error. */
class JobSpecHostileValuesTest {
    @TempDir
    Path dir;

    private Throwable read(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("job.yaml"), yaml);
        return catchThrowable(() -> new JobSpecReader().read(f));
    }

    @Test
    void overflowingDurationsAndTimesAreConfigErrorsNamingTheKey() throws Exception {
        assertThat(read("source: {emulator: {}, slice: 9999999999999999h}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.slice");
        assertThat(read("source: {emulator: {}}\ncheckpointing: {interval: 999999999999999d}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("checkpointing.interval");
        assertThat(read("source: {emulator: {}, from: -99999999999999999999d}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.from");
        assertThat(read("source: {emulator: {}, from: -9999999999999d}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.from");
    }

    @Test
    void badGlobsAndPathsAreConfigErrors() throws Exception {
        assertThat(read("source: {emulator: {}}\nrules: {sigma: ['[']}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.sigma");
        assertThat(read("source: {emulator: {}}\nrules: {sigma: [\"a\\0b.yml\"]}\n")).isInstanceOf(ConfigException.class);
        assertThat(read("source: {emulator: {}}\nsinks: {archive: {path: \"out\\0logs\"}}\n")).isInstanceOf(ConfigException.class);
    }
}
