package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;

/**
 * Sigma filters (Sigma Filters specification v2.0.0) on the public examples in
 * {@code src/test/resources/sigma-filters} (sources in its README): a named rule's condition
 * becomes {@code (rule) and (filter condition)}.
 */
class SigmaFilterTest {
    static final Path DIR = Path.of("src/test/resources/sigma-filters");
    static final String RAR = "6f3e2987-db24-4c78-a860-b4f4095a7095";
    static final String JUMP = "df0841c0-9846-4e9f-ad8a-7df91571771b";
    static final String SC = "85ff530b-261d-48c6-a441-facaa2e81e48";
    static final Normalizer PLAIN = Normalizer.builder().defaults(false).build();
    int seq;

    /** The Sigma ids of the rules that match the log, filters applied. */
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

    static RuleLoader windows() {
        return RuleLoader.create().anyLogsource(true).file(DIR.resolve("stand_in_rules.yml"))
                .file(DIR.resolve("docs_sc_create_service.yml"));
    }

    @Test
    void theDocumentationFilterLeavesOutAdministratorsFromTheRulesItNames() {
        RuleSet rules = windows().file(DIR.resolve("docs_win_filter_admins.yml")).load();
        assertThat(rules.filters()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("Filter Out Administrator accounts"); // no id or name: the title
            assertThat(f.rules()).containsExactly(RAR, JUMP);
        });
        assertThat(matching(rules, "Image", "C:\\Tools\\rar.exe", "User", "alice")).containsExactly(RAR);
        assertThat(matching(rules, "Image", "C:\\Tools\\rar.exe", "User", "adm_alice")).isEmpty();
        assertThat(matching(rules, "Image", "C:\\Tools\\rar.exe", "User", "ADM_alice")).as("case-insensitive").isEmpty();
        assertThat(matching(rules, "Computer", "jump-01", "User", "adm_bob")).isEmpty();
        assertThat(matching(rules, "Computer", "jump-01")).as("no User: 'not selection' holds").containsExactly(JUMP);
        // The sc.exe rule is not named: untouched.
        assertThat(matching(rules, "Image", "C:\\Windows\\System32\\sc.exe", "CommandLine", "sc create x binPath= y",
                "User", "adm_x")).containsExactly(SC);
    }

    @Test
    void theDocumentationConversionOfTheScExeRule() {
        // The page: Image="*\sc.exe" CommandLine="*create*" CommandLine="*binPath*" NOT User="adm_*"
        String filter = """
                title: Filter Out Administrator accounts
                logsource: {category: process_creation, product: windows}
                filter:
                  rules: [%s]
                  selection: {User|startswith: "adm_"}
                  condition: not selection
                """.formatted(SC);
        RuleSet rules = windows().text("filter.yml", filter).load();
        Object[] service = {"Image", "C:\\Windows\\System32\\sc.exe", "CommandLine", "sc.exe create evil binPath= c:\\x.exe"};
        assertThat(matching(rules, append(service, "User", "bob"))).containsExactly(SC);
        assertThat(matching(rules, append(service, "User", "adm_bob"))).isEmpty();
        assertThat(matching(rules, "Image", "C:\\Windows\\System32\\sc.exe", "CommandLine", "sc.exe query", "User", "bob"))
                .isEmpty();
    }

    @Test
    void theSpecificationExampleKeepsOnlyWhatItsSelectionMatches() {
        // condition: selection (as in the specification's example) scopes the rules to adm_ accounts.
        RuleSet rules = windows().file(DIR.resolve("spec_filter_admin.yml")).load();
        assertThat(matching(rules, "Image", "C:\\Tools\\rar.exe", "User", "adm_alice")).containsExactly(RAR);
        assertThat(matching(rules, "Image", "C:\\Tools\\rar.exe", "User", "alice")).isEmpty();
    }

    @Test
    void aFilterForAnotherProductIsSkippedWithItsReasonLikeItsRules() {
        RuleSet rules = RuleLoader.create().file(DIR.resolve("stand_in_rules.yml"))
                .file(DIR.resolve("docs_win_filter_admins.yml")).load();
        assertThat(rules.filters()).isEmpty();
        assertThat(rules.skipped()).extracting(RuleSet.Skipped::reason)
                .contains("Sigma filter for logsource product 'windows' (Bugfender logs are product bugfender)");
    }

    static Object[] append(Object[] a, Object... more) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    // --- Bugfender rules ---

    static final String LAB_FILTER = """
            title: Lab devices are rooted on purpose
            id: 9a1f5c2e-3b7d-4e61-8f0a-2c4d6e8f1a3b
            logsource: {product: bugfender}
            filter:
              rules: [root-jailbreak]
              selection:
                device.udid|startswith: 'lab-'
              condition: not selection
            """;

    @Test
    void aFilterOnABuiltinRuleDropsItsMatchesAndCountsThem() {
        // root-jailbreak alone: the mobile pack's magisk-root also wakes on these logs, and the filter is not its.
        RuleSet rules = RuleLoader.create().builtin(List.of("root-jailbreak")).text("lab.yml", LAB_FILTER).load();
        List<LogRecord> logs = List.of(rooted("lab-7", 0), rooted("lab-7", 60), rooted("phone-1", 0));
        LocalEvaluator ev = new LocalEvaluator(Normalizer.defaults(), rules, DetectionSettings.defaults(),
                Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
        assertThat(ev.evaluate(logs)).extracting(Alert::device).containsExactly("phone-1");
        assertThat(ev.droppedMatches()).containsExactly(
                Map.entry("filter 9a1f5c2e-3b7d-4e61-8f0a-2c4d6e8f1a3b (root-jailbreak)", 2L));
    }

    LogRecord rooted(String device, int second) {
        return LogRecord.builder().put("uuid", "r" + seq++).put("app", "a").put("device.udid", device)
                .put("time", Instant.parse("2026-03-01T10:00:00Z").plusSeconds(second).toString())
                .put("absolute_time", (long) seq).put("text", "Magisk detected, device is rooted").build();
    }

    @Test
    void filtersNameRulesByIdOrNameAndRefuseWhatTheyCannotApplyTo() {
        RuleLoader pack = RuleLoader.create().builtin(List.of("all"));
        assertThatThrownBy(() -> RuleLoader.create().builtin(List.of("all"))
                .text("f.yml", LAB_FILTER.replace("[root-jailbreak]", "[root-jailbrake]")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("f.yml:").hasMessageContaining("names rule 'root-jailbrake', which is not loaded");
        assertThatThrownBy(() -> RuleLoader.create().builtin(List.of("all"))
                .text("f.yml", LAB_FILTER.replace("{product: bugfender}", "{product: bugfender, category: auth}")).load())
                .hasMessageContaining("its logsource category 'auth' does not cover rule 'root-jailbreak'");
        assertThatThrownBy(() -> RuleLoader.create().builtin(List.of("all"))
                .text("f.yml", LAB_FILTER.replace("[root-jailbreak]", "[brute-force-success]")).load())
                .hasMessageContaining("is a correlation over correlation");
        assertThatThrownBy(() -> RuleLoader.create().builtin(List.of("all"))
                .text("f.yml", LAB_FILTER.replace("  condition: not selection\n", "")).load())
                .hasMessageContaining("filter.condition is required");
        assertThatThrownBy(() -> RuleLoader.create().builtin(List.of("all"))
                .text("f.yml", LAB_FILTER.replace("logsource: {product: bugfender}\n", "")).load())
                .hasMessageContaining("needs a 'logsource'");
        assertThat(pack.text("f.yml", LAB_FILTER).load().filters()).singleElement()
                .satisfies(f -> assertThat(f.rules()).containsExactly("root-jailbreak"));
    }
}
