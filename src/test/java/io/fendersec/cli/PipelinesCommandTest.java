package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules.pipelines} and {@code --pipeline} end to end through picocli: a job's pipelines are
 * checked by {@code validate}, which names the fields no pipeline maps and Bugfender logs never
 * carry; {@code rules test --pipeline} maps a community rule's fields.
 */
class PipelinesCommandTest {
    static final String RULE = """
            title: Admin sign-in from a listed address
            name: admin-signin
            logsource: {product: bugfender}
            detection:
              selection:
                ClientIP: 203.0.113.9
                TargetUserName|startswith: adm
              condition: selection
            """;

    /**
     * Without a pipeline, both fields are named (rule, field, file); with builtin:ecs neither.
     * Mutation caught: the warning left out, or printed for fields the pipeline mapped.
     */
    @Test
    void validateNamesFieldsNoLogCarriesUntilAPipelineMapsThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("r.yml"), RULE);
        Path job = Files.writeString(dir.resolve("job.yaml"), "source: {emulator: {}}\nrules: {sigma: [r.yml]}\n");
        RulesCommandTest.Result bare = RulesCommandTest.run("validate", job.toString());
        assertThat(bare.code()).as(bare.err()).isZero();
        assertThat(bare.err()).contains("warning: " + dir.resolve("r.yml") + ":1: rule admin-signin reads field 'ClientIP',"
                + " which no pipeline maps and Bugfender logs never carry");
        assertThat(bare.err()).contains("rule admin-signin reads field 'TargetUserName'");

        Files.writeString(job, "source: {emulator: {}}\nrules: {sigma: [r.yml], pipelines: ['builtin:ecs']}\n");
        RulesCommandTest.Result mapped = RulesCommandTest.run("validate", job.toString());
        assertThat(mapped.code()).as(mapped.err()).isZero();
        assertThat(mapped.err()).doesNotContain("reads field");
    }

    /** A bad pipeline entry is a config error (exit 2) at its key path with the file and item. Mutation caught: ignored. */
    @Test
    void aBadPipelineIsAConfigErrorAtItsKeyPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("r.yml"), RULE);
        Files.writeString(dir.resolve("p.yml"), "transformations:\n  - id: m\n    type: field_name_mappin\n");
        Path job = Files.writeString(dir.resolve("job.yaml"),
                "source: {emulator: {}}\nrules: {sigma: [r.yml], pipelines: [p.yml, missing.yml]}\n");
        RulesCommandTest.Result r = RulesCommandTest.run("validate", job.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("rules.pipelines[0]").contains("transformations[0] (id m).type: unknown transformation type"
                + " 'field_name_mappin'");
        assertThat(r.err()).contains("rules.pipelines[1]").contains("missing.yml: no such pipeline file");
    }

    /** rules test --pipeline builtin:ecs: the ECS names match the Bugfender fields. Mutation caught: --pipeline not passed to the loader. */
    @Test
    void rulesTestAppliesThePipeline(@TempDir Path dir) throws Exception {
        Path rule = Files.writeString(dir.resolve("r.yml"), RULE);
        Path logs = Files.writeString(dir.resolve("logs.ndjson"),
                "{\"uuid\":\"1\",\"app\":\"a\",\"device.udid\":\"d\",\"time\":\"2026-03-01T10:00:00Z\","
                        + "\"text\":\"login ok user=admin from 203.0.113.9\"}\n");
        RulesCommandTest.Result without = RulesCommandTest.run("rules", "test", rule.toString(), "--logs", logs.toString());
        assertThat(without.code()).as(without.err()).isZero();
        RulesCommandTest.Result with = RulesCommandTest.run("rules", "test", rule.toString(), "--pipeline", "builtin:ecs",
                "--logs", logs.toString());
        assertThat(with.code()).as(with.err()).isEqualTo(1);
        assertThat(with.out()).contains("\"rule_id\":\"admin-signin\"");
    }
}
