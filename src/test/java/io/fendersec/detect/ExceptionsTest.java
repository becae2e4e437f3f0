package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.ExceptionEntry;
import io.fendersec.detect.rule.RuleSet;

/** {@code rules.exceptions}: strict reading, CIDR and string values, hostile values, expiry by an injected clock. */
class ExceptionsTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    int seq;

    static RuleSet pack(String exceptions) {
        return RuleLoader.create().builtin(List.of("all")).exceptions("exceptions.yml", exceptions).load();
    }

    /** root-jailbreak alone: the mobile pack's magisk-root also wakes on "Magisk detected", unexcepted. */
    static RuleSet rootJailbreak(String exceptions) {
        return RuleLoader.create().builtin(List.of("root-jailbreak")).exceptions("exceptions.yml", exceptions).load();
    }

    static String message(String yaml) {
        try {
            pack(yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for\n" + yaml);
    }

    @Test
    void everyShapeErrorNamesTheFileAndTheDottedPathAtOnce() {
        String m = message("""
                exceptions:
                  - {rule: brute-force, field: user.name, values: [qa-bot]}
                  - {rule: brute-force, field: user.name, values: [x], expire: 2026-01-01}
                  - {rule: brute-force, field: user.name, values: [x], expires: 2026-13-01}
                  - {rule: brute-force, field: source.ip, values: [10.0.0.0/8, not-an-ip]}
                  - {rule: brute-force, values: []}
                  - {rule: brute-force, field: 'user.name|contains', values: [a]}
                  - {id: 'bad id!', rule: brute-force, field: user.name, values: [a]}
                owner: me
                """);
        assertThat(m).contains("exceptions.yml: exceptions[1].expire: unknown key")
                .contains("exceptions.yml: exceptions[2].expires: expected a date YYYY-MM-DD, got '2026-13-01'")
                .contains("exceptions.yml: exceptions[3].values[1]: expected an IP address or a CIDR network")
                .contains("exceptions.yml: exceptions[4].field: required")
                .contains("exceptions.yml: exceptions[4].values: must not be empty")
                .contains("exceptions.yml: exceptions[5].field: expected a field name")
                .contains("exceptions.yml: exceptions[6].id: expected letters")
                .contains("exceptions.yml: owner: unknown key");
        assertThat(m).doesNotContain("exceptions[0]");
    }

    @Test
    void ruleReferencesResolveLikeCorrelationsOrFail() {
        assertThat(message("exceptions: [{rule: brute-forse, field: user.name, values: [a]}]"))
                .isEqualTo("exceptions.yml: exceptions[0].rule: no rule 'brute-forse' is loaded"
                        + " (a rule id or Sigma name, or '*' for every rule)");
        assertThat(message("exceptions: [{rule: brute-force-success, field: user.name, values: [a]}]"))
                .startsWith("exceptions.yml: exceptions[0].rule: 'brute-force-success' is a correlation over correlation");
        assertThat(message("""
                exceptions:
                  - {id: same, rule: brute-force, field: user.name, values: [a]}
                  - {id: same, rule: root-jailbreak, field: device.udid, values: [b]}
                """)).contains("exceptions[1].id: 'same' is already used by exceptions[0]");
        RuleSet rules = pack("""
                exceptions:
                  - {rule: '*', field: device.udid, values: [lab-1]}
                  - {rule: brute-force, field: user.name, values: [a]}
                  - {rule: brute-force, field: user.name, values: [b], reason: load tests}
                """);
        assertThat(rules.exceptions()).extracting(ExceptionEntry::id)
                .containsExactly("all-device.udid", "brute-force-user.name", "brute-force-user.name-2");
        assertThat(rules.exceptions().get(2).reason()).isEqualTo("load tests");
    }

    @Test
    void anEmptyFileHasNoExceptions() {
        assertThat(pack("").exceptions()).isEmpty();
        assertThat(pack("exceptions: []").exceptions()).isEmpty();
    }

    @Test
    void ipFieldsMatchByNetworkAndNeverOnHostileText() {
        RuleSet rules = pack("exceptions: [{rule: '*', field: source.ip, values: [10.0.0.0/8, '2001:db8::/32', 192.0.2.7]}]");
        ExceptionEntry e = rules.exceptions().get(0);
        assertThat(covers(e, "source.ip", "10.200.3.4")).isTrue();
        assertThat(covers(e, "source.ip", "2001:0db8:0:0::1")).isTrue();
        assertThat(covers(e, "source.ip", "192.0.2.7")).isTrue();
        assertThat(covers(e, "source.ip", "192.0.2.8")).isFalse();
        // IPv4-mapped IPv6 spellings are the IPv4 address: an attacker cannot pick one to dodge (or,
        // for an allow-list, to claim) a network. Mutation caught: their 16 bytes compared as IPv6.
        assertThat(covers(e, "source.ip", "::ffff:10.200.3.4")).isTrue();
        assertThat(covers(e, "source.ip", "::FFFF:c000:207")).isTrue(); // 192.0.2.7 in hex
        assertThat(covers(e, "source.ip", "0:0:0:0:0:ffff:192.0.2.7")).isTrue();
        assertThat(covers(e, "source.ip", "::ffff:192.0.2.8")).isFalse();
        assertThat(covers(e, "source.ip", "11.0.0.1")).isFalse();
        // Hostile values: not an address, so not excepted; nothing throws.
        assertThat(covers(e, "source.ip", "10.0\u0000.0.1")).isFalse();
        // Blanks and control characters around an address are trimmed, as by the Sigma cidr modifier.
        assertThat(covers(e, "source.ip", " 10.0.0.1\u0000")).isTrue();
        assertThat(covers(e, "source.ip", "10.0.0.1 or 1=1")).isFalse();
        assertThat(covers(e, "source.ip", ":".repeat(200_000))).isFalse();
        assertThat(covers(e, "source.ip", "example.com")).isFalse();
        assertThat(covers(e, "source.ip", "\u202e01.0.0.1")).isFalse();
        assertThat(covers(e, "source.ip", "9".repeat(1_000_000))).isFalse();
    }

    @Test
    void textValuesAreSigmaStringsCaseInsensitive() {
        RuleSet rules = pack("exceptions: [{rule: brute-force, field: user.name, values: [QA-Bot, 'load-*']}]");
        ExceptionEntry e = rules.exceptions().get(0);
        assertThat(covers(e, "user.name", "qa-bot")).isTrue();
        assertThat(covers(e, "user.name", "LOAD-test-7")).isTrue();
        assertThat(covers(e, "user.name", "qa-bot2")).isFalse();
        assertThat(covers(e, "user.name", "x-load-1")).isFalse();
        assertThat(covers(e, "user.name", "qa-bot\n")).isFalse();
    }

    private boolean covers(ExceptionEntry e, String field, String value) {
        LogRecord r = LogRecord.builder().put("uuid", "u").put("app", "a").put("text", "x").put(field, value).build();
        return e.covers(Normalizer.builder().defaults(false).build().normalize(r));
    }

    // --- matching: the exceptions are part of the matcher ---

    LogRecord log(String device, int second, String text) {
        return LogRecord.builder().put("uuid", "u" + seq++).put("app", "app1").put("device.udid", device)
                .put("time", T0.plusSeconds(second).toString()).put("absolute_time", (long) seq).put("text", text).build();
    }

    List<LogRecord> failures(String device, String user, int n, int from) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(log(device, from + i * 10, "Sign-in rejected for " + user + " (INVALID_CREDENTIALS)"));
        }
        return out;
    }

    static LocalEvaluator evaluator(RuleSet rules, Instant now) {
        return new LocalEvaluator(Normalizer.defaults(), rules, DetectionSettings.defaults(),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void anExceptedUserDoesNotCountForTheCorrelationAndEachDropIsCounted() {
        List<LogRecord> logs = new ArrayList<>(failures("d1", "qa-bot@example.com", 12, 0));
        logs.addAll(failures("d2", "bob@example.com", 12, 0));
        RuleSet rules = pack("""
                exceptions:
                  - {id: ex-test-users, rule: brute-force, field: user.name, values: [qa-bot@example.com]}
                """);
        LocalEvaluator ev = evaluator(rules, T0);
        List<Alert> alerts = ev.evaluate(logs);
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("brute-force")).extracting(a -> a.group().get("user.name"))
                .containsExactly("bob@example.com");
        assertThat(ev.droppedMatches()).containsExactly(Map.entry("exception ex-test-users (brute-force)", 12L));
        // Without the exception both alert: the exception is what silenced qa-bot.
        assertThat(evaluator(pack(""), T0).evaluate(logs)).filteredOn(a -> a.ruleId().equals("brute-force"))
                .hasSize(2);
    }

    @Test
    void anExceptionOnACorrelationLeavesTheOtherCorrelationsOfTheSameDetection() {
        // Ten accounts failing on one device: credential-stuffing counts login-failure too.
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            logs.addAll(failures("d9", "user" + i + "@example.com", 1, i * 5));
        }
        RuleSet rules = pack("exceptions: [{rule: brute-force, field: device.udid, values: [d9]}]");
        assertThat(evaluator(rules, T0).evaluate(logs)).extracting(Alert::ruleId).contains("credential-stuffing");
        RuleSet onDetection = pack("exceptions: [{rule: login-failure, field: device.udid, values: [d9]}]");
        assertThat(evaluator(onDetection, T0).evaluate(logs)).extracting(Alert::ruleId)
                .doesNotContain("credential-stuffing");
    }

    @Test
    void anExceptionAppliesThroughItsExpiryDayAndNotAfterByTheClockNotTheDeviceTime() {
        List<LogRecord> logs = failures("d1", "qa-bot@example.com", 12, 0); // device time 2026-03-01
        RuleSet rules = pack("exceptions: [{rule: brute-force, field: user.name, values: [qa-bot@example.com], expires: 2026-06-30}]");
        ExceptionEntry e = rules.exceptions().get(0);
        Instant lastMoment = Instant.parse("2026-06-30T23:59:59.999Z");
        Instant expired = Instant.parse("2026-07-01T00:00:00Z");
        assertThat(e.status(lastMoment)).isEqualTo("active until 2026-06-30");
        assertThat(e.status(expired)).isEqualTo("expired after 2026-06-30");

        assertThat(evaluator(rules, lastMoment).evaluate(logs)).extracting(Alert::ruleId).doesNotContain("brute-force");
        LocalEvaluator after = evaluator(rules, expired);
        assertThat(after.evaluate(logs)).extracting(Alert::ruleId).contains("brute-force");
        assertThat(after.droppedMatches()).containsExactly(Map.entry("exception brute-force-user.name (brute-force)", 0L));
    }

    @Test
    void aMatcherStopsApplyingAnExceptionWhenItsClockPassesExpiryMidRun() {
        RuleSet rules = rootJailbreak("exceptions: [{rule: root-jailbreak, field: device.udid, values: [lab-1], expires: 2026-06-30}]");
        MutableClock clock = new MutableClock(Instant.parse("2026-06-30T23:59:00Z"));
        RuleMatcher m = new RuleMatcher(rules, clock);
        Normalizer n = Normalizer.defaults();
        LogRecord rooted = log("lab-1", 0, "Magisk detected, device is rooted");
        assertThat(m.match(n.normalize(rooted), 0, true)).isEmpty();
        clock.now = Instant.parse("2026-07-01T00:00:00Z");
        assertThat(m.match(n.normalize(rooted), 0, true)).isNotEmpty();
    }

    /** A clock a test moves; serializable as the matcher requires. */
    static final class MutableClock extends Clock implements java.io.Serializable {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theExceptionsTravelInsideTheRuleSetAndItsSerializedMatcher() throws Exception {
        RuleSet rules = rootJailbreak("exceptions: [{rule: root-jailbreak, field: device.udid, values: [lab-1]}]");
        RuleMatcher m = new RuleMatcher(rules);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
            o.writeObject(m);
        }
        RuleMatcher copy;
        try (java.io.ObjectInputStream i = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RuleMatcher) i.readObject();
        }
        Normalizer n = Normalizer.defaults();
        assertThat(copy.match(n.normalize(log("lab-1", 0, "Magisk detected, device is rooted")), 0, true)).isEmpty();
        assertThat(copy.match(n.normalize(log("phone-2", 0, "Magisk detected, device is rooted")), 0, true)).isNotEmpty();
    }

    /**
     * An exception for every rule ({@code rule: '*'}) run through the matcher, not only parsed: each
     * detection matching a log of the excepted device is dropped (no alert, no correlation hit) and
     * each drop is counted against that one exception; another device still matches.
     *
     * <p>Mutation caught: {@code RuleMatcher} ignoring exceptions whose rule is {@code '*'} (every
     * such exception silently does nothing: lab-1's logs match).
     */
    @Test
    void anExceptionForEveryRuleDropsEachDetectionOfItsValueInTheMatcher() {
        RuleSet rules = pack("exceptions: [{id: ex-lab, rule: '*', field: device.udid, values: [lab-1]}]");
        RuleMatcher m = new RuleMatcher(rules, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(m.suppressions()).extracting(RuleMatcher.Suppression::rule).containsExactly("*");
        List<Integer> drops = new ArrayList<>();
        m.onDrop(drops::add);
        Normalizer n = Normalizer.defaults();
        String rooted = "Magisk detected, device is rooted";
        String failed = "Sign-in rejected for qa@example.com (INVALID_CREDENTIALS)";

        assertThat(m.match(n.normalize(log("lab-1", 0, rooted)), 0, true)).as("root-jailbreak on lab-1").isEmpty();
        int afterRooted = drops.size();
        assertThat(afterRooted).as("the root-jailbreak match dropped and counted").isPositive();
        assertThat(m.match(n.normalize(log("lab-1", 1, failed)), 0, true)).as("login-failure on lab-1").isEmpty();
        assertThat(drops.size()).as("the login-failure match dropped and counted").isGreaterThan(afterRooted);
        assertThat(drops).as("all against the one exception").containsOnly(0);

        List<String> other = new ArrayList<>();
        m.match(n.normalize(log("phone-2", 2, rooted)), 0, true).forEach(g -> g.targets().forEach(t -> other.add(t.target())));
        m.match(n.normalize(log("phone-2", 3, failed)), 0, true).forEach(g -> g.targets().forEach(t -> other.add(t.target())));
        assertThat(other).as("another device is not excepted").contains("root-jailbreak", "brute-force");
    }
}
