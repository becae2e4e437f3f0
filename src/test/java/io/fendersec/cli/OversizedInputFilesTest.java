package io.fendersec.cli;

import static io.fendersec.cli.RulesCommandTest.RULES;
import static io.fendersec.cli.RulesCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.cli.RulesCommandTest.Result;
import io.fendersec.detect.files.TextFiles;
import io.fendersec.detect.enrich.LookupFile;
import io.fendersec.error.ConfigException;
import io.fendersec.job.JobSpecReader;

/**
 * Every file a job or {@code fendersec rules} reads as text is held to a cap, refused with one line
 * naming the file and the cap (exit 2), before it is read: rule files, exceptions, rule tests
 * ({@code NAME.tests.yml}), SQL rules, lookup tables. Big files are sparse ({@code setLength}), so
 * the tests write no data; a file that is not a regular file ({@code /dev/zero}, size 0 and endless)
 * is refused instead of filling the heap.
 */
class OversizedInputFilesTest {
    static final long OVER_2_GIB = (2L << 30) + 1;

    @TempDir
    Path dir;

    static Path sparse(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    static void oneLineExit2(Result r, String... fragments) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").contains(fragments);
    }

    /**
     * Mutation caught: a rule file read with {@code Files.newBufferedReader} into the YAML parser
     * (no cap): the 2 GiB file is parsed (or fails with a YAML complaint) instead of being refused
     * naming the cap.
     */
    @Test
    void aRuleFileOverTheCap() throws Exception {
        Path big = sparse(dir.resolve("big.yml"), OVER_2_GIB);
        oneLineExit2(run("rules", "test", big.toString(), "--logs", RulesCommandTest.logs(dir, 1).toString()),
                big + " is " + OVER_2_GIB + " bytes, more than the " + TextFiles.MAX_RULE_FILE_BYTES
                        + " bytes (16 MiB) a rule file may hold");
    }

    /**
     * Mutation caught: {@code NAME.tests.yml} read with {@code Files.readString}: an
     * {@code OutOfMemoryError("Required array size too large")} instead of one line with exit 2.
     */
    @Test
    void aTestsFileOverTheCap() throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path tests = sparse(dir.resolve("r.tests.yml"), OVER_2_GIB);
        oneLineExit2(run("rules", "test", "--self", rules.toString()),
                tests + " is " + OVER_2_GIB + " bytes, more than the", "a tests file may hold");
    }

    /** Mutation caught: the exceptions file read in full (Files.readString): OutOfMemoryError, not exit 2. */
    @Test
    void anExceptionsFileOverTheCap() throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), RULES);
        Path exceptions = sparse(dir.resolve("exceptions.yml"), OVER_2_GIB);
        oneLineExit2(run("rules", "list", "--sigma", rules.toString(), "--exceptions", exceptions.toString()),
                exceptions + " is " + OVER_2_GIB + " bytes", "an exceptions file may hold");
    }

    /** Mutation caught: SQL rule files read with Files.readString (OutOfMemoryError). */
    @Test
    void aSqlRuleFileOverTheCap() {
        Path sql = dir.resolve("big.sql");
        assertThatThrownBy(() -> io.fendersec.detect.sql.SqlRuleFile.read(sparse(sql, OVER_2_GIB)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(sql + " is " + OVER_2_GIB + " bytes, more than the");
    }

    /**
     * {@code enrich.lookups[].file: /dev/zero}: size 0 passes a size check, then reading "all"
     * bytes never ends (the heap fills).
     * Mutation caught: the regular-file check dropped and the text read with
     * {@code Files.readAllBytes} after the size check — the read of /dev/zero runs out of memory;
     * with the bounded stream but no regular-file check the message names the cap, not a device.
     */
    @Test
    void aLookupOnDevZeroIsRefusedAsNotARegularFile() throws Exception {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "needs /dev/zero");
        Path spec = Files.writeString(dir.resolve("job.yaml"), "source:\n  url: https://dashboard.bugfender.com\n"
                + "  auth: {client-id: a, private-key: k.pem}\n"
                + "enrich:\n  lookups:\n    - {file: /dev/zero, key: user.name, prefix: z, format: csv}\n");
        assertThatThrownBy(() -> new JobSpecReader().read(spec))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enrich.lookups[0].file: /dev/zero is not a regular file")
                .hasMessageContaining("a lookup file must be a file");
        assertThatThrownBy(() -> LookupFile.readText(zero)).hasMessageContaining("not a regular file");
    }

    /**
     * The bounded stream on its own: a regular file whose size says 0 but which holds more
     * ({@code /proc/cpuinfo}: "regular empty file" to stat, kilobytes to read) passes the size
     * check; the read stops one byte past the cap and refuses it.
     * Mutation caught: {@code readAllBytes} after the size check instead of {@code readNBytes(cap + 1)}
     * — the whole file is returned although it is over the cap.
     */
    @Test
    void theStreamStopsOneBytePastTheCapWhateverTheSizeSaid() throws Exception {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(cpuinfo) && Files.size(cpuinfo) == 0,
                "needs Linux's /proc");
        assertThatThrownBy(() -> TextFiles.read(cpuinfo, 16, "lookup file", "keep fewer rows"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/proc/cpuinfo is still being written (it passed the cap as it was read),"
                        + " more than the 16 bytes");
        Path f = Files.writeString(dir.resolve("t.yml"), "x".repeat(100));
        assertThat(TextFiles.read(f, 100, "rule file", "split it")).hasSize(100);
    }
}
