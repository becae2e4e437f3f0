package io.fendersec.detect;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.fendersec.error.ConfigException;
import io.fendersec.detect.load.RuleLoader;

/**
 * Coverage-guided fuzzing of the Sigma loader (parser and compiler): any rule file loads or is
 * refused with a {@link ConfigException} naming the file (exit 2), nothing else.
 */
class SigmaLoaderFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void loadsOrRefusesWithAConfigError(byte[] yaml) {
        try {
            RuleLoader.create().text("fuzz.yml", new String(yaml, StandardCharsets.UTF_8)).load();
        } catch (ConfigException expected) {
            // the project's own error, exit 2
        }
    }
}
