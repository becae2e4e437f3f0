package io.fendersec.detect.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionRule;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.engine.RuleMatcher;
import io.fendersec.detect.normalize.DeviceClock;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.model.LogRecord;

/**
 * The explanation never disagrees with the job: over the emulator's logs with every attack
 * scenario, for every detection of the built-in pack and every log, explain's verdict is the job's
 * matcher's ({@link RuleMatcher}, rule index and suppressions included). Catches: a leaf judged by
 * anything but its compiled test, an operator combined differently, a selection resolved to the
 * wrong identifier, a dropped match reported as a match.
 */
class ExplainAgreesWithEngineTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Clock NOW = Clock.fixed(END, ZoneOffset.UTC);

    @Test
    void everyPackDetectionOnEveryEmulatorLog() {
        Dataset d = new DatasetGenerator(7, 2, 1, END, 4_000, ArrivalDelays.defaults(),
                Scenarios.byName("all").orElseThrow()).generate();
        List<LogRecord> logs = new ArrayList<>();
        for (GeneratedApp app : d.apps()) {
            for (GeneratedLog l : d.logs(app.id())) {
                logs.add(l.record());
            }
        }
        RuleLoader loader = RuleLoader.create().builtin(List.of("all"));
        RuleSet pack = loader.load();
        DetectionExplainer explainer = new DetectionExplainer(pack, loader.writtenDetections(), NOW);
        RuleMatcher matcher = new RuleMatcher(pack, NOW);
        Normalizer normalizer = Normalizer.defaults();
        long bound = NOW.instant().plus(LocalEvaluator.MAX_CLOCK_SKEW).toEpochMilli();
        Set<String> matchedRules = new HashSet<>();
        int compared = 0;
        for (LogRecord r : logs) {
            Long t = DeviceClock.eventTime(r, bound);
            long time = t == null ? 0L : t;
            NormalizedLog log = DeviceClock.judge(normalizer.normalize(r), time);
            Set<String> own = new HashSet<>();
            Set<String> counted = new HashSet<>();
            for (GroupHits g : matcher.match(log, time, true)) {
                for (Hit h : g.hits()) {
                    (h.target().equals(h.source()) ? own : counted).add(h.source());
                }
            }
            for (DetectionRule rule : pack.detections()) {
                boolean explained = explainer.explain(rule.id(), log).matched();
                if (pack.alertsOnItsOwn(rule.id())) {
                    assertThat(explained).as("%s on %s", rule.id(), r.uuid()).isEqualTo(own.contains(rule.id()));
                } else if (counted.contains(rule.id())) {
                    // a rule only correlations use: counted needs its group-by fields too
                    assertThat(explained).as("%s on %s", rule.id(), r.uuid()).isTrue();
                }
                if (explained) {
                    matchedRules.add(rule.id());
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(100_000);
        // the corpus exercises the pack: most of its detections match some log
        assertThat(matchedRules.size()).isGreaterThanOrEqualTo(pack.detections().size() * 2 / 3);
    }
}
