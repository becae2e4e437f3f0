package io.fendersec.detect.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * pySigma processing pipelines applied to Sigma rules (rule + pipeline + logs → matches), each
 * expectation written by hand from pySigma's documentation of the transformation or condition.
 * The mutation each test catches is named in its comment.
 */
class ProcessingPipelineTest {
    static final Normalizer PLAIN = Normalizer.builder().defaults(false).build();
    int seq;

    static RuleSet load(String pipelineYaml, String rules) {
        Pipelines p = Pipelines.of(List.of(ProcessingPipeline.read("test-pipeline.yml", pipelineYaml)));
        return RuleLoader.create().pipelines(p).text("rules.yml", rules).load();
    }

    /** The ids of the rules that match a log with these fields. */
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

    static final String LOGIN_RULE = """
            title: Login from a bad address
            name: bad-login
            logsource: {product: bugfender}
            detection:
              selection:
                src_ip: 203.0.113.9
                User|startswith: adm
              condition: selection
            """;

    /** Mutation caught: a one-to-many mapping that keeps only the first target (or ANDs them). */
    @Test
    void fieldNameMappingRenamesAndOneToManyIsAnyOfTheTargets() {
        RuleSet rules = load("""
                transformations:
                  - id: ips
                    type: field_name_mapping
                    mapping:
                      src_ip: source.ip
                      User: [user.name, actor]
                """, LOGIN_RULE);
        assertThat(matching(rules, "source.ip", "203.0.113.9", "user.name", "admin")).containsExactly("bad-login");
        assertThat(matching(rules, "source.ip", "203.0.113.9", "actor", "admin")).as("second target").containsExactly("bad-login");
        assertThat(matching(rules, "source.ip", "203.0.113.9", "actor", "bob")).isEmpty();
        assertThat(matching(rules, "src_ip", "203.0.113.9", "User", "admin")).as("the old names are gone").isEmpty();
    }

    /** Mutation caught: the prefix replaced anywhere in the name, or the rest of the name dropped. */
    @Test
    void prefixMappingKeepsTheRestOfTheName() {
        RuleSet rules = load("""
                transformations:
                  - type: field_name_prefix_mapping
                    mapping: {win.: event_data.}
                """, """
                title: t
                name: r
                detection:
                  sel: {win.EventID: 4625, other.win.x: y}
                  condition: sel
                """);
        assertThat(matching(rules, "event_data.EventID", "4625", "other.win.x", "y")).containsExactly("r");
        assertThat(matching(rules, "win.EventID", "4625", "other.win.x", "y")).isEmpty();
    }

    /**
     * add_condition: pySigma makes the condition "NAME and (condition)", "not NAME and (...)" when
     * negated. Mutation caught: the added selection ORed instead of ANDed, or negation ignored.
     */
    @Test
    void addConditionAndsASelectionAndNegatedAndsItsNegation() {
        RuleSet rules = load("""
                transformations:
                  - type: add_condition
                    conditions: {app: prod-app}
                  - type: add_condition
                    conditions: {user.name: qa-bot}
                    negated: true
                """, """
                title: t
                name: r
                detection:
                  sel: {text|contains: failed}
                  condition: sel
                """);
        assertThat(matching(rules, "text", "login failed", "app", "prod-app", "user.name", "bob")).containsExactly("r");
        assertThat(matching(rules, "text", "login failed", "app", "prod-app", "user.name", "qa-bot")).isEmpty();
        assertThat(matching(rules, "text", "login failed", "app", "other", "user.name", "bob")).isEmpty();
        assertThat(matching(rules, "text", "ok", "app", "prod-app")).isEmpty();
    }

    /**
     * change_logsource makes a rule for another product run on Bugfender logs, only where the
     * logsource condition holds. Mutation caught: the rule conditions not checked (every rule moved).
     */
    @Test
    void changeLogsourceUnderALogsourceConditionLetsOnlyThoseRulesRun() {
        RuleSet rules = load("""
                transformations:
                  - type: change_logsource
                    product: bugfender
                    rule_conditions:
                      - type: logsource
                        product: android
                """, """
                title: a
                name: android-rule
                logsource: {product: android}
                detection: {sel: {text: x}, condition: sel}
                ---
                title: w
                name: windows-rule
                logsource: {product: windows}
                detection: {sel: {text: x}, condition: sel}
                """);
        assertThat(rules.rule("android-rule")).isNotNull();
        assertThat(rules.rule("windows-rule")).isNull();
        assertThat(rules.skipped()).extracting(RuleSet.Skipped::id).containsExactly("windows-rule");
        assertThat(matching(rules, "text", "x")).containsExactly("android-rule");
    }

    /**
     * replace_string sees the wildcards contains adds (pySigma applies modifiers first); include_fields
     * limits it. Mutation caught: field name conditions ignored (both fields rewritten).
     */
    @Test
    void replaceStringOnTheIncludedFieldOnly() {
        RuleSet rules = load("""
                transformations:
                  - type: replace_string
                    regex: '\\\\'
                    replacement: /
                    field_name_conditions:
                      - type: include_fields
                        fields: [url.path]
                """, """
                title: t
                name: r
                detection:
                  sel:
                    url.path|contains: 'admin\\login'
                    file: 'C:\\app\\x.js'
                  condition: sel
                """);
        assertThat(matching(rules, "url.path", "/v1/admin/login?x", "file", "C:\\app\\x.js")).containsExactly("r");
        assertThat(matching(rules, "url.path", "/v1/admin\\login", "file", "C:\\app\\x.js")).isEmpty();
        assertThat(matching(rules, "url.path", "/v1/admin/login", "file", "C:/app/x.js")).isEmpty();
    }

    /** Python group references work. Mutation caught: '\\1' taken literally. */
    @Test
    void replaceStringGroupReferences() {
        RuleSet rules = load("""
                transformations:
                  - type: replace_string
                    regex: '^user-(\\d+)$'
                    replacement: 'u\\1'
                """, """
                title: t
                name: r
                detection: {sel: {user.name: user-42}, condition: sel}
                """);
        assertThat(matching(rules, "user.name", "u42")).containsExactly("r");
    }

    /**
     * value_placeholders: %name% with expand becomes each value of the variable (any of them).
     * Mutation caught: only the first value used; a missing variable silently matching nothing.
     */
    @Test
    void valuePlaceholdersExpandFromVars() {
        String rule = """
                title: t
                name: r
                detection:
                  sel: {user.name|expand: '%admins%'}
                  condition: sel
                """;
        RuleSet rules = load("""
                vars:
                  admins: [root, 'adm-*']
                transformations:
                  - type: value_placeholders
                """, rule);
        assertThat(matching(rules, "user.name", "root")).containsExactly("r");
        assertThat(matching(rules, "user.name", "adm-jo")).as("'*' in a variable is a wildcard").containsExactly("r");
        assertThat(matching(rules, "user.name", "bob")).isEmpty();
        assertThatThrownBy(() -> load("transformations: [{id: ph, type: value_placeholders}]", rule))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.yml:1").hasMessageContaining("rule 'r'").hasMessageContaining("%admins%")
                .hasMessageContaining("test-pipeline.yml:1: transformations[0] (id ph)");
    }

    /** drop_detection_item with a field condition. Mutation caught: every item dropped, or none. */
    @Test
    void dropDetectionItemDropsOnlyTheSelectedField() {
        RuleSet rules = load("""
                transformations:
                  - type: drop_detection_item
                    field_name_conditions:
                      - type: include_fields
                        fields: [EventType]
                """, """
                title: t
                name: r
                detection:
                  sel: {EventType: CreateKey, text|contains: jailbreak}
                  condition: sel
                """);
        assertThat(matching(rules, "text", "jailbreak found")).containsExactly("r");
        assertThat(matching(rules, "text", "fine")).isEmpty();
    }

    /**
     * rule_failure and detection_item_failure: a config error naming rule, file and item.
     * Mutation caught: detection_item_failure failing a rule without the field.
     */
    @Test
    void failuresNameRuleFileAndProcessingItem() {
        String pipeline = """
                transformations:
                  - id: no-grandparent
                    type: detection_item_failure
                    message: GrandParentImage is not carried
                    field_name_conditions:
                      - type: include_fields
                        fields: [GrandParentImage]
                  - id: no-windows
                    type: rule_failure
                    message: windows rules are not supported
                    rule_conditions: [{type: logsource, product: windows}]
                """;
        assertThat(load(pipeline, "title: t\nname: ok\ndetection: {sel: {text: x}, condition: sel}\n").rule("ok")).isNotNull();
        assertThatThrownBy(() -> load(pipeline, "title: t\nname: gp\ndetection: {sel: {GrandParentImage: x}, condition: sel}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rule 'gp'")
                .hasMessageContaining("GrandParentImage is not carried").hasMessageContaining("(id no-grandparent)");
        assertThatThrownBy(() -> load(pipeline,
                "title: t\nname: w\nlogsource: {product: windows}\ndetection: {sel: {text: x}, condition: sel}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("windows rules are not supported")
                .hasMessageContaining("(id no-windows)");
    }

    /**
     * Conditions: rule_attribute (level ordering), processing_item_applied, and rule_cond_expr.
     * Mutation caught: levels compared as text ("high" < "medium"); applied ids not recorded.
     */
    @Test
    void ruleAttributeAppliedAndExpressionConditions() {
        RuleSet rules = load("""
                transformations:
                  - id: first
                    type: field_name_mapping
                    mapping: {User: user.name}
                    rule_conditions:
                      - type: rule_attribute
                        attribute: level
                        value: medium
                        op: gte
                  - type: add_condition
                    conditions: {app: prod}
                    rule_conditions:
                      mapped: {type: processing_item_applied, processing_item_id: first}
                      corr: {type: is_sigma_correlation_rule}
                    rule_cond_expr: mapped and not corr
                """, """
                title: t
                name: high
                level: high
                detection: {sel: {User: bob}, condition: sel}
                ---
                title: t
                name: low
                level: low
                detection: {sel: {User: bob}, condition: sel}
                """);
        assertThat(matching(rules, "user.name", "bob", "app", "prod")).containsExactly("high");
        assertThat(matching(rules, "User", "bob", "app", "other")).containsExactly("low");
        assertThat(matching(rules, "user.name", "bob", "app", "other")).isEmpty();
    }

    /**
     * Correlations: group-by and the counted field are mapped, aliases too (pySigma's
     * FieldMappingTransformationBase). Mutation caught: the correlation's group-by left unmapped
     * (it would group every log under one empty key and count users across addresses).
     */
    @Test
    void correlationsGroupAndCountOnMappedFields() {
        RuleSet rules = load("""
                transformations:
                  - type: field_name_mapping
                    mapping: {src_ip: source.ip, User: user.name}
                """, """
                title: failed login
                name: failed
                detection: {sel: {text|contains: login failed}, condition: sel}
                ---
                title: spray
                name: spray
                correlation:
                  type: value_count
                  rules: [failed]
                  group-by: [src_ip]
                  timespan: 10m
                  condition: {gte: 3, field: User}
                """);
        List<LogRecord> logs = new ArrayList<>();
        String[][] tries = {{"203.0.113.9", "a"}, {"203.0.113.9", "b"}, {"198.51.100.7", "c"}, {"203.0.113.9", "c"}};
        int s = 0;
        for (String[] t : tries) {
            logs.add(LogRecord.builder().put("uuid", "x" + s).put("app", "a").put("device.udid", "d")
                    .put("time", "2026-03-01T10:0" + s++ + ":00Z").put("text", "login failed")
                    .put("source.ip", t[0]).put("user.name", t[1]).build());
        }
        List<Alert> alerts = new LocalEvaluator(PLAIN, rules, DetectionSettings.defaults(),
                Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC)).evaluate(logs);
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("spray")).singleElement()
                .satisfies(a -> assertThat(a.group()).containsEntry("source.ip", "203.0.113.9"));
    }

    /** A one-to-many mapping of a group-by field is refused, as in pySigma. Mutation caught: silently taking the first. */
    @Test
    void aCorrelationFieldMappedToSeveralIsAnError() {
        assertThatThrownBy(() -> load("""
                transformations:
                  - id: m
                    type: field_name_mapping
                    mapping: {User: [user.name, actor]}
                """, """
                title: f
                name: f
                detection: {sel: {text: x}, condition: sel}
                ---
                title: c
                name: c
                correlation: {type: value_count, rules: [f], group-by: [app], timespan: 1m, condition: {gte: 2, field: User}}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("rule 'c'").hasMessageContaining("'User'");
    }

    /** Unknown types: errors naming the file, the item (with id) and the dotted path. Mutation caught: ignored silently. */
    @Test
    void unknownTypesAndParametersAreConfigErrors() {
        assertThatThrownBy(() -> ProcessingPipeline.read("p.yml", """
                transformations:
                  - id: x
                    type: field_name_mappping
                    mapping: {a: b}
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("p.yml:3: transformations[0] (id x).type: unknown transformation type 'field_name_mappping'"
                        + " (Fendersec runs " + String.join(", ", Transformations.names()) + ")");
        assertThatThrownBy(() -> ProcessingPipeline.read("p.yml", """
                transformations:
                  - type: field_name_mapping
                    mapping: {a: b}
                    rule_conditions: [{type: logsorce, product: x}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("transformations[0].rule_conditions[0].type: unknown condition type 'logsorce'");
        assertThatThrownBy(() -> ProcessingPipeline.read("p.yml", """
                transformations:
                  - type: field_name_mapping
                    mappings: {a: b}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("transformations[0].mapping: required");
    }

    /** The built-in ECS pipeline by name. Mutation caught: builtin: resolved as a file name. */
    @Test
    void builtinEcsMapsCommonNamesOntoTheTaxonomy() {
        RuleSet rules = RuleLoader.create().pipelines(Pipelines.load(List.of("builtin:ecs"), java.nio.file.Path.of("")))
                .text("rules.yml", """
                        title: t
                        name: r
                        detection:
                          sel: {c-ip: 203.0.113.9, cs-username: root, cs-user-agent|contains: sqlmap}
                          condition: sel
                        """).load();
        assertThat(matching(rules, "source.ip", "203.0.113.9", "user.name", "root", "text", "GET / UA=sqlmap/1.7"))
                .containsExactly("r");
        assertThatThrownBy(() -> Pipelines.load(List.of("builtin:nope"), java.nio.file.Path.of("")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such built-in pipeline (ecs)");
    }

    /** Pipelines apply in priority order, lower first. Mutation caught: file order used instead. */
    @Test
    void priorityOrdersPipelines() {
        ProcessingPipeline late = ProcessingPipeline.read("late.yml",
                "priority: 20\ntransformations: [{type: field_name_mapping, mapping: {mid: final}}]\n");
        ProcessingPipeline early = ProcessingPipeline.read("early.yml",
                "priority: 10\ntransformations: [{type: field_name_mapping, mapping: {orig: mid}}]\n");
        RuleSet rules = RuleLoader.create().pipelines(Pipelines.of(List.of(late, early)))
                .text("r.yml", "title: t\nname: r\ndetection: {sel: {orig: x}, condition: sel}\n").load();
        assertThat(matching(rules, "final", "x")).containsExactly("r");
    }

    /** The built-in pack is left alone. Mutation caught: pipelines applied to built-in rules. */
    @Test
    void builtinRulesAreNotProcessed() {
        RuleSet rules = RuleLoader.create().builtin(List.of("all"))
                .pipelines(Pipelines.of(List.of(ProcessingPipeline.read("p.yml",
                        "transformations: [{type: rule_failure, message: no}]\n")))).load();
        assertThat(rules.rules()).isNotEmpty();
    }
    /**
     * Aliases: each rule's field in an alias is mapped, and the alias name in group-by is not
     * (pySigma). Mutation caught: the alias name itself mapped, or its per-rule fields left.
     */
    @Test
    void aliasFieldsAreMappedAndAliasNamesAreNot() {
        RuleSet rules = load("""
                transformations:
                  - type: field_name_mapping
                    mapping: {ClientIP: source.ip, ip: source.ip}
                """, """
                title: a
                name: a
                detection: {sel: {text: a}, condition: sel}
                ---
                title: b
                name: b
                detection: {sel: {text: b}, condition: sel}
                ---
                title: c
                name: c
                correlation:
                  type: temporal
                  rules: [a, b]
                  group-by: [ip]
                  aliases:
                    ip: {a: ClientIP, b: ip}
                  timespan: 5m
                """);
        io.fendersec.detect.rule.CorrelationRule c = (io.fendersec.detect.rule.CorrelationRule) rules.rule("c");
        assertThat(c.groupBy()).containsExactly("ip");
        assertThat(c.aliases().get("ip")).containsEntry("a", "source.ip").containsEntry("b", "source.ip");
    }

    /** fieldref values name fields too, and are mapped. Mutation caught: only the item's own field mapped. */
    @Test
    void fieldrefValuesAreMapped() {
        RuleSet rules = load("""
                transformations:
                  - type: field_name_mapping
                    mapping: {User: user.name, Target: device.name}
                """, """
                title: t
                name: r
                detection: {sel: {User|fieldref: Target}, condition: sel}
                """);
        assertThat(matching(rules, "user.name", "pixel", "device.name", "pixel")).containsExactly("r");
        assertThat(matching(rules, "user.name", "pixel", "device.name", "other")).isEmpty();
    }

    /** A malformed rule gets the rule parser's message with pipelines as without. Mutation caught: a different, vaguer message. */
    @Test
    void aMalformedRuleFailsAsWithoutPipelines() {
        String rule = "title: t\nname: r\ndetection:\n  sel: [{a: 1}, b]\n  condition: sel\n";
        String without = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> RuleLoader.create().text("rules.yml", rule).load(), ConfigException.class).getMessage();
        assertThatThrownBy(() -> load("transformations: [{type: field_name_mapping, mapping: {a: x}}]\n", rule))
                .isInstanceOf(ConfigException.class).hasMessage(without);
    }

    /**
     * A continuous job's rule watcher carries the pipelines (serialized to the source) and applies
     * them to changed rules. Mutation caught: withStages/withLookups dropping the pipelines.
     */
    @Test
    void theRuleWatcherAppliesThePipelinesAfterSerialization() throws Exception {
        Pipelines p = Pipelines.of(List.of(ProcessingPipeline.read("p.yml",
                "transformations: [{type: field_name_mapping, mapping: {src_ip: source.ip}}]\n")));
        io.fendersec.detect.reload.WatchedRules w = new io.fendersec.detect.reload.WatchedRules(java.nio.file.Path.of(""),
                List.of(), List.of(), java.util.Map.of(), java.util.Map.of(), 1, java.time.Duration.ofMinutes(1))
                .withPipelines(p).withStages(2);
        io.fendersec.detect.reload.WatchedRules copy = org.apache.flink.util.InstantiationUtil.clone(w);
        RuleSet rules = copy.compile(io.fendersec.detect.reload.RuleSnapshot.of("k", List.of(
                new io.fendersec.detect.reload.RuleSnapshot.Entry(io.fendersec.detect.reload.RuleSnapshot.Kind.SIGMA,
                        "r.yml", "title: t\nname: r\ndetection: {sel: {src_ip: 1.2.3.4}, condition: sel}\n"))));
        assertThat(matching(rules, "source.ip", "1.2.3.4")).containsExactly("r");
    }
    /**
     * change_logsource writes all three parts (pySigma's ChangeLogsourceTransformation): a category
     * not given is unset, so a later logsource condition on the old category no longer holds.
     * Mutation caught: the parts not given kept (merged).
     */
    @Test
    void changeLogsourceUnsetsThePartsNotGiven() {
        RuleSet rules = load("""
                transformations:
                  - type: change_logsource
                    product: bugfender
                  - type: add_condition
                    conditions: {app: never}
                    rule_conditions: [{type: logsource, category: authentication}]
                """, """
                title: t
                name: r
                logsource: {product: android, category: authentication}
                detection: {sel: {text: x}, condition: sel}
                """);
        assertThat(matching(rules, "text", "x", "app", "a")).containsExactly("r");
    }
}
