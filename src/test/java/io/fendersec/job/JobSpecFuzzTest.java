package io.fendersec.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.fendersec.error.ConfigException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the job-spec reader (Jazzer): whatever bytes a job file holds, the
 * reader answers with a spec or a {@link ConfigException} (exit 2), nothing else. Seeds are in
 * {@code src/test/resources/io/fendersec/job/JobSpecFuzzTestInputs/}; {@code mvn verify} fuzzes
 * for a bounded time (see the pom's fuzz profile), a plain test run replays the seeds.
 */
class JobSpecFuzzTest {
    private static Path dir;
    private static Path job;

    @BeforeAll
    static void folder() throws IOException {
        // An empty folder of its own: relative paths and rule globs the fuzzer writes resolve into nothing.
        dir = Files.createTempDirectory("fendersec-fuzz-job");
        job = dir.resolve("job.yaml");
    }

    @AfterAll
    static void clean() throws IOException {
        Files.deleteIfExists(job);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "10s")
    void readsOrRefusesWithAConfigError(byte[] yaml) throws IOException {
        Files.write(job, yaml);
        try {
            new JobSpecReader().read(job);
        } catch (ConfigException expected) {
            // the project's own error, exit 2
        }
    }
}
