package io.fendersec.detect.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.enrich.Enrichment;
import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.detect.enrich.Lookup;
import io.fendersec.detect.enrich.LookupFormat;
import io.fendersec.detect.enrich.LookupTable;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * outdated-app-version through a job's lookup table (issue 30): the job lists versions below its
 * minimum in a CSV joined on version.version (prefix app_version), and the pack reports each such
 * version still in use, once per version and episode. Mutation caught (seen failing): the rule
 * grouping by device, which gives one alert per device instead of one per version.
 */
class OutdatedAppVersionRuleTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final LookupTable VERSIONS = LookupTable.parse("app-versions.csv",
            "version,status\n4.0.0,unsupported\n4.1.0,revoked\n4.4.0,current\n", LookupFormat.CSV, null, KeyMatch.EXACT);
    int seq;

    LogRecord log(String device, String version, int minute) {
        return LogRecord.builder().put("uuid", "v" + seq++).put("app", "app1").put("device.udid", device)
                .put("version.version", version).put("time", T0.plusSeconds(60L * minute).toString())
                .put("absolute_time", (long) seq).put("text", "Screen shown: Checkout").build();
    }

    @Test
    void versionsTheLookupMarksBelowTheMinimumAlertOncePerVersion() {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            logs.add(log("old" + i, "4.0.0", i));     // five devices on an unsupported version
            logs.add(log("cur" + i, "4.4.0", i));     // the current version
            logs.add(log("new" + i, "4.5.0", i));     // a version the table does not list
        }
        logs.add(log("rev", "4.1.0", 30));            // a revoked one
        Normalizer withLookup = Normalizer.defaults()
                .withEnrichment(Enrichment.of(List.of(new Lookup("version.version", "app_version", VERSIONS)), null));
        List<Alert> alerts = LocalEvaluator.evaluate(logs, withLookup, RuleLoader.builtin(), DetectionSettings.defaults());
        // one alert per version (not per device); its count is the span that first held: one log (gte 1)
        assertThat(alerts).extracting(a -> a.ruleId() + " " + a.group() + " " + a.count())
                .containsExactlyInAnyOrder("outdated-app-version {version.version=4.0.0} 1",
                        "outdated-app-version {version.version=4.1.0} 1");
        // without the lookup, nothing
        assertThat(LocalEvaluator.evaluate(logs, Normalizer.defaults(), RuleLoader.builtin(), DetectionSettings.defaults()))
                .isEmpty();
    }
}
