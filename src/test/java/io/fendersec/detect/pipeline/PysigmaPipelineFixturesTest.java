package io.fendersec.detect.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.LogRecord;

/**
 * pySigma's own pipeline documents (src/test/resources/pysigma-pipelines, sources and licence in
 * its README) load and map as pySigma's documentation says, each expectation written from that
 * text. Mutation caught (each test): the documented effect not happening, e.g. rule conditions
 * ignored, or the logsource merged instead of replaced.
 */
class PysigmaPipelineFixturesTest {
    static final Path DIR = Path.of("src/test/resources/pysigma-pipelines");
    static final Normalizer PLAIN = Normalizer.builder().defaults(false).build();
    int seq;

    static Pipelines pipelines(String... files) {
        return Pipelines.load(List.of(files), DIR);
    }

    List<String> matching(RuleSet rules, Object... kv) {
        LogRecord.Builder b = LogRecord.builder().put("uuid", "u" + seq++).put("app", "a").put("device.udid", "d")
                .put("time", "2026-03-01T10:00:00Z");
        for (int i = 0; i < kv.length; i += 2) {
            b.put((String) kv[i], kv[i + 1]);
        }
        List<String> out = new ArrayList<>();
        for (GroupHits g : new RuleMatcher(rules).match(PLAIN.normalize(b.build()), 0, true)) {
            g.hits().forEach(h -> out.add(h.source()));
        }
        return out;
    }

    static final String WHOAMI = """
            title: Whoami
            name: whoami
            logsource: {category: process_creation, product: windows}
            detection:
              selection: {Image|endswith: '\\\\whoami.exe', User|contains: admin}
              condition: selection
            ---
            title: Whoami on Linux
            name: whoami-linux
            logsource: {category: process_creation, product: linux}
            detection:
              selection: {Image|endswith: /whoami}
              condition: selection
            """;

    /** "Example: Field Mapping Pipeline": Windows process creation fields become ECS names; other rules keep theirs. */
    @Test
    void windowsFieldMappingMapsOnlyWindowsProcessCreationRules() {
        RuleSet rules = RuleLoader.create().anyLogsource(true).pipelines(pipelines("windows_field_mapping.yml"))
                .text("rules.yml", WHOAMI).load();
        assertThat(matching(rules, "process.executable", "C:\\Windows\\System32\\whoami.exe", "user.name", "corp\\admin"))
                .containsExactly("whoami");
        assertThat(matching(rules, "Image", "C:\\Windows\\System32\\whoami.exe", "User", "corp\\admin")).isEmpty();
        assertThat(matching(rules, "Image", "/usr/bin/whoami")).as("the linux rule is not mapped").containsExactly("whoami-linux");
    }

    /**
     * "Example: Log Source Transformation": service becomes sysmon. pySigma's transformation writes
     * all three parts, so category and product are unset afterwards: a rule without product runs on
     * Bugfender logs.
     */
    @Test
    void sysmonLogsourceMappingReplacesTheWholeLogsource() {
        RuleSet plain = RuleLoader.create().text("rules.yml", WHOAMI).load();
        assertThat(plain.skipped()).extracting(RuleSet.Skipped::id).containsExactly("whoami", "whoami-linux");
        RuleSet rules = RuleLoader.create().pipelines(pipelines("sysmon_logsource_mapping.yml"))
                .text("rules.yml", WHOAMI).load();
        assertThat(rules.skipped()).extracting(RuleSet.Skipped::id).containsExactly("whoami-linux");
        assertThat(matching(rules, "Image", "C:\\Windows\\System32\\whoami.exe", "User", "admin"))
                .containsExactly("whoami");
    }

    /**
     * "Example: Value Replacement": regex {@code \\\\+} (two or more backslashes in the value's plain
     * form) becomes "/" in Image and ParentImage only.
     */
    @Test
    void valueAdjustmentsReplaceRunsOfBackslashesInImageOnly() {
        RuleSet rules = RuleLoader.create().pipelines(pipelines("value_adjustments.yml")).text("rules.yml", """
                title: UNC
                name: unc
                detection:
                  selection:
                    Image|startswith: '\\\\\\\\server\\\\share'
                    CommandLine|contains: '\\\\\\\\server'
                  condition: selection
                """).load();
        // Image's plain form is \\server\share* (the value as written escapes each backslash): the run of two
        // becomes "/", the single one stays. CommandLine is not an included field: it keeps its backslashes.
        assertThat(matching(rules, "Image", "/server\\share\\x.exe", "CommandLine", "run \\\\server")).containsExactly("unc");
        assertThat(matching(rules, "Image", "\\\\server\\share\\x.exe", "CommandLine", "run \\\\server")).isEmpty();
    }

    /** pySigma's resolver test files: priority 10 (suffix .test) then 20 (prefix test.). */
    @Test
    void resolverTestPipelinesApplyByPriority() {
        Pipelines p = pipelines("pipeline-2.yml", "pipeline-1.yml");
        assertThat(p.pipelines()).extracting(ProcessingPipeline::name).containsExactly("Test 1", "Test 2");
        RuleSet rules = RuleLoader.create().pipelines(p)
                .text("r.yml", "title: t\nname: r\ndetection: {sel: {field: x}, condition: sel}\n").load();
        assertThat(matching(rules, "test.field.test", "x")).containsExactly("r");
    }
}
