package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job expands {@code rules.sigma} and {@code rules.sql} once, in the dialect of {@code RuleFiles}, and loads exactly those files. */
class JobRuleFilesTest {
    private static final String RULE = "title: %s\nname: %s\ndetection: {sel: {message: x}, condition: sel}\n";

    @TempDir
    Path dir;

    @Test
    void aJobExpandsItsRuleFilesOnceAndLoadsExactlyThose() throws Exception {
        Files.createDirectories(dir.resolve("rules/extra"));
        Files.writeString(dir.resolve("rules/extra/c.yml"), RULE.formatted("c", "rules-extra-c-yml"));
        Files.writeString(dir.resolve("rules/a.yaml"), RULE.formatted("a", "rules-a-yaml"));
        Files.writeString(dir.resolve("rules/b.yml"), RULE.formatted("b", "rules-b-yml"));
        Files.writeString(dir.resolve("rules/notes.txt"), "not a rule");
        Files.writeString(dir.resolve("rules/d.sql"), "SELECT 1");
        // A file whose own name holds glob characters: read as found, never taken for a pattern again.
        Files.writeString(dir.resolve("rules/extra/x[1].yml"), RULE.formatted("x", "x-1"));
        Path job = Files.writeString(dir.resolve("job.yaml"),
                "source: {emulator: {}}\nrules: {builtin: [], sigma: ['rules/extra/*.yml', rules], sql: [rules]}\n");
        JobSpec spec = new JobSpecReader().read(job);
        assertThat(spec.rules.sigma).containsExactly(dir.resolve("rules/extra/c.yml"), dir.resolve("rules/extra/x[1].yml"),
                dir.resolve("rules/a.yaml"), dir.resolve("rules/b.yml"));
        assertThat(spec.rules.sql).containsExactly(dir.resolve("rules/d.sql"));
        assertThat(Pipeline.loadRules(spec).rules().keySet())
                .containsExactly("rules-extra-c-yml", "x-1", "rules-a-yaml", "rules-b-yml");
    }

}
