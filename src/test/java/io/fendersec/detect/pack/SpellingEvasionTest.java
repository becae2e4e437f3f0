package io.fendersec.detect.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.GroupKeys;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * Issue 27 §1 and §4: values the device's owner writes must not split or hide an attack. The
 * built-in pack over the default normalization, evaluated locally; expectations written from the
 * issue's reproductions.
 */
class SpellingEvasionTest {
    private static final RuleSet PACK = RuleLoader.builtin();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    /** The nine spellings of one account. */
    static final List<String> SPELLINGS = List.of("victim@example.com", "Victim@Example.com", "VICTIM@example.com",
            "victim@EXAMPLE.COM", "ViCtIm@ExAmPlE.cOm", "VICTIM@EXAMPLE.COM", "vIcTiM@eXaMpLe.CoM",
            "Victim@example.com", "victim@Example.Com");
    private int seq;

    private LogRecord log(String device, Instant time, String text, Map<String, Object> more) {
        seq++;
        LogRecord.Builder b = LogRecord.builder().put("uuid", "u" + seq).put("app", "app1").put("device.udid", device)
                .put("time", time.toString()).put("absolute_time", (long) seq).put("text", text);
        more.forEach(b::put);
        return b.build();
    }

    private LogRecord log(String device, Instant time, String text) {
        return log(device, time, text, Map.of());
    }

    private List<Alert> run(List<LogRecord> logs, Normalizer n) {
        return new LocalEvaluator(n, PACK, DetectionSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC))
                .evaluate(logs);
    }

    /** 81 failures in under 3 minutes, in 9 spellings, then a success in a tenth. */
    private List<LogRecord> caseVariantAttack() {
        List<LogRecord> logs = new ArrayList<>();
        Instant t = NOW.minus(Duration.ofMinutes(10));
        for (int i = 0; i < 81; i++) {
            logs.add(log("attacker", t.plusSeconds(2L * i), "Login failed for " + SPELLINGS.get(i % 9)));
        }
        logs.add(log("attacker", t.plusSeconds(170), "Login succeeded for  VICTIM@example.COM "));
        return logs;
    }

    /**
     * Catches: group keys compared as written (RuleMatcher reading {@code log.get} instead of the
     * canonical group value), and user.name not folded in defaults.yml: then nine groups of nine
     * failures each stay below brute-force's 10 and nothing alerts (the reproduction).
     */
    @Test
    void caseVariantsOfOneAccountAreOneBruteForce() {
        List<Alert> alerts = run(caseVariantAttack(), Normalizer.defaults());
        assertThat(alerts).extracting(Alert::ruleId).contains("brute-force", "brute-force-success");
        Alert bf = alerts.stream().filter(a -> a.ruleId().equals("brute-force")).findFirst().orElseThrow();
        assertThat(bf.severity()).isEqualTo("high");
        assertThat(bf.group()).containsEntry("user.name", "victim@example.com").containsEntry("device.udid", "attacker");
        Alert success = alerts.stream().filter(a -> a.ruleId().equals("brute-force-success")).findFirst().orElseThrow();
        assertThat(success.severity()).isEqualTo("critical");
        assertThat(alerts.stream().filter(a -> a.ruleId().equals("brute-force")).count())
                .as("one attack, one alert: not one per spelling").isEqualTo(1);
    }

    /** Catches: folding switched on for every field regardless of the job ({@code fold: false} ignored). */
    @Test
    void aJobMayCompareUserNamesAsWritten() {
        Normalizer exact = Normalizer.fromConfig(Map.of("keys", Map.of("user.name", Map.of("fold", false))), "normalize");
        assertThat(run(caseVariantAttack(), exact)).extracting(Alert::ruleId)
                .doesNotContain("brute-force", "brute-force-success");
        assertThat(exact.keys().key("user.name").skipAbsent()).as("absent: kept from the defaults").isTrue();
    }

    /**
     * value_count over a folded field. Catches: the counted value read as written (RuleMatcher's
     * {@code log.get(valueField)}): 3 accounts in 5 spellings each would count as 15 distinct
     * accounts and raise credential-stuffing (≥ 10) against a device that tried three.
     */
    @Test
    void spellingNeitherInflatesNorDeflatesDistinctAccounts() {
        List<LogRecord> inflated = new ArrayList<>();
        Instant t = NOW.minus(Duration.ofMinutes(20));
        String[] users = {"ann@example.com", "ben@example.com", "cat@example.com"};
        int i = 0;
        for (String u : users) {
            // five spellings of each: as is, upper case, title case, a zero-width space inside
            // (invisible), the first letter full-width (NFKC maps it back)
            List<String> forms = List.of(u, u.toUpperCase(), Character.toUpperCase(u.charAt(0)) + u.substring(1),
                    u.charAt(0) + "\u200b" + u.substring(1), (char) (u.charAt(0) - 'a' + '\uff41') + u.substring(1));
            for (String s : forms) {
                inflated.add(log("phone", t.plusSeconds(20L * i++), "Login failed for user=" + s));
            }
        }
        assertThat(run(inflated, Normalizer.defaults())).extracting(Alert::ruleId).doesNotContain("credential-stuffing");

        List<LogRecord> spread = new ArrayList<>();
        for (int k = 0; k < 10; k++) { // ten accounts, each in a different case: ten distinct, not fewer
            String u = "user" + k + "@example.com";
            spread.add(log("stuffer", t.plusSeconds(30L * k), "Login failed for " + (k % 2 == 0 ? u.toUpperCase() : u)));
        }
        assertThat(run(spread, Normalizer.defaults())).extracting(Alert::ruleId).contains("credential-stuffing");
    }

    /**
     * Issue 27 §4: secret-in-log grouped by file, line and version.version, and a log without them
     * was silently no hit. Catches: absent group-by fields dropping the hit again (the placeholder
     * gone from {@code GroupKeys.group}), or a built-in rule grouped by a field a log may lack
     * that is marked {@code absent: skip}.
     */
    @Test
    void aSecretInALogWithoutFileLineOrVersionStillAlerts() {
        List<Alert> alerts = run(List.of(log("leaky", NOW.minusSeconds(60),
                "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")),
                Normalizer.defaults());
        assertThat(alerts).extracting(Alert::ruleId).contains("secret-in-log");
        Alert a = alerts.stream().filter(x -> x.ruleId().equals("secret-in-log")).findFirst().orElseThrow();
        assertThat(a.group()).containsEntry("device.udid", "leaky").containsEntry("secret.kind", "jwt");
    }

    /**
     * Every built-in correlation counts a log that has the fields its detection reads but none of
     * the optional ones (no version, file, line): only fields that say who the event is about
     * (user.name, source.ip) may be required. Catches a rule (now or later) grouped by an optional
     * field marked absent: skip.
     */
    @Test
    void noBuiltInCorrelationRequiresAFieldALogMayLack() {
        List<String> mayBeRequired = List.of("user.name", "geo.region", "device.udid", "secret.kind");
        for (io.fendersec.detect.rule.CorrelationRule c : PACK.correlations()) {
            for (String g : c.groupBy()) {
                boolean required = Normalizer.defaults().keys().key(g).skipAbsent();
                assertThat(!required || mayBeRequired.contains(g))
                        .as(c.id() + " groups by " + g + ", which a log may lack, and drops such logs").isTrue();
            }
        }
    }

    /** The canonical form, by hand. Catches: NFKC, folding, trimming or format removal missing. */
    @Test
    void canonicalFormFoldsCaseNormalizesAndTrims() {
        assertThat(GroupKeys.canonical("  Victim@Example.COM\t")).isEqualTo("victim@example.com");
        assertThat(GroupKeys.canonical("ｖｉｃｔｉｍ@ｅｘａｍｐｌｅ.com")).isEqualTo("victim@example.com"); // full width
        assertThat(GroupKeys.canonical("STRASSE")).isEqualTo(GroupKeys.canonical("straße"));
        assertThat(GroupKeys.canonical("vic\u200btim")).isEqualTo("victim");
        assertThat(GroupKeys.canonical("\u212aelvin")).isEqualTo("kelvin"); // KELVIN SIGN
        assertThat(GroupKeys.canonical("bob\u00a0")).isEqualTo("bob"); // no-break space
        assertThat(GroupKeys.canonical("alice")).isNotEqualTo(GroupKeys.canonical("alice2"));
    }

    /** Bad settings: one error naming the key path. */
    @Test
    void badKeySettingsNameTheKeyPath() {
        assertThatThrownBy(() -> Normalizer.fromConfig(Map.of("keys", Map.of("user.name", Map.of("fold", "yes"))),
                "normalize")).isInstanceOf(ConfigException.class).hasMessageContaining("normalize.keys.user.name.fold");
        assertThatThrownBy(() -> Normalizer.fromConfig(Map.of("keys", Map.of("file", Map.of("absent", "drop"))),
                "normalize")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("normalize.keys.file.absent: expected skip or placeholder");
        assertThatThrownBy(() -> Normalizer.fromConfig(Map.of("keys", Map.of("file", Map.of("case", true))),
                "normalize")).isInstanceOf(ConfigException.class).hasMessageContaining("normalize.keys.file.case");
        assertThatThrownBy(() -> Normalizer.fromConfig(Map.of("keys", List.of("user.name")), "normalize"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("normalize.keys");
    }
}
