package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.WatchedRules;

/** A continuous job with {@code enrich.lookups} watches its lookup files, joined as the spec joins them at start. */
class LookupWatchWiringTest {
    static final String SOURCE = "source:\n  url: https://dashboard.bugfender.com\n  auth:\n    client-id: sa-1\n"
            + "    private-key: keys/k.pem\n";
    static final String LOOKUPS = """
            enrich:
              lookups:
                - {file: vip.csv, key: user.name, key-column: account, prefix: vip}
            """;

    @TempDir
    Path dir;

    private JobSpec read(String yaml) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, SOURCE + yaml);
        return new JobSpecReader().read(f);
    }

    @Test
    void aContinuousJobWithLookupsWatchesThemEvenWithoutRuleFiles() throws Exception {
        Files.writeString(dir.resolve("vip.csv"), "tier,account\ngold,ana@example.com\n");
        JobSpec spec = read(LOOKUPS);
        assertThat(Pipeline.watches(spec, null)).as("continuous, default reload-interval").isTrue();
        assertThat(Pipeline.watches(spec, Instant.EPOCH)).as("a bounded run reads them once").isFalse();
        assertThat(Pipeline.watches(read(LOOKUPS + "rules:\n  reload-interval: off\n"), null)).isFalse();
        assertThat(Pipeline.watches(read(""), null)).as("nothing to watch").isFalse();

        WatchedRules watched = Pipeline.watchedRules(spec);
        RuleSnapshot now = watched.read();
        assertThat(now.entries(RuleSnapshot.Kind.LOOKUP)).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo(dir.resolve("vip.csv").toAbsolutePath().toString());
            assertThat(e.text()).contains("ana@example.com");
        });
        // the key column and prefix as written: the same fields as the tables read with the spec
        assertThat(watched.normalizer(now).enrichment().fieldNames())
                .isEqualTo(spec.enrich.enrichment().fieldNames());
    }
}
