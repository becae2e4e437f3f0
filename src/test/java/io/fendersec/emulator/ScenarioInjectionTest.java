package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.model.LogRecord;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.model.ScenarioLabels;

/** The labeled attacks: present with their evidence, reproducible, served, and absent from benign traffic. */
class ScenarioInjectionTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    private static Dataset attacks;

    static Dataset generate(long seed, long logsPerDay, String scenario) {
        return new DatasetGenerator(seed, 3, 2, END, logsPerDay, ArrivalDelays.defaults(),
                Scenarios.byName(scenario).orElseThrow()).generate();
    }

    static synchronized Dataset attacks() {
        if (attacks == null) {
            attacks = generate(42, 50_000, "all");
        }
        return attacks;
    }

    static Map<String, LogRecord> byUuid(Dataset d) {
        Map<String, LogRecord> m = new HashMap<>();
        for (GeneratedApp a : d.apps()) {
            for (GeneratedLog l : d.logs(a.id())) {
                m.put(l.record().uuid(), l.record());
            }
        }
        return m;
    }

    static List<LogRecord> evidence(ScenarioLabel l, Map<String, LogRecord> all) {
        return l.evidence().stream().map(all::get).toList();
    }

    @Test
    void everyAttackIsInjectedWithEvidenceThatShowsIt() {
        Dataset d = attacks();
        Map<String, LogRecord> all = byUuid(d);
        Set<String> scenarios = new HashSet<>();
        Set<String> apps = new HashSet<>();
        Set<Integer> days = new HashSet<>();
        for (ScenarioLabel l : d.labels()) {
            scenarios.add(l.scenario());
            apps.add(l.app());
            days.add(l.start().isBefore(END.minus(Duration.ofDays(1))) ? 0 : 1);
            List<LogRecord> ev = evidence(l, all);
            assertThat(ev).as(l.scenario()).doesNotContainNull().isNotEmpty();
            for (LogRecord r : ev) {
                assertThat(r.app()).isEqualTo(l.app());
                assertThat(r.time()).isBetween(l.start(), l.end());
            }
            String what = l.scenario() + "/" + l.ruleId() + " " + l.group();
            switch (l.ruleId()) {
                case "secret-in-log" -> assertThat(ev).as(what).allMatch(EvidencePatterns::secret);
                case "root-jailbreak" -> assertThat(ev).as(what).allMatch(EvidencePatterns::root);
                case "app-tampering" -> assertThat(ev).as(what).allMatch(EvidencePatterns::tamper);
                case "tls-pinning-device" -> {
                    assertThat(ev).as(what).allMatch(EvidencePatterns::pinning);
                    assertThat(ev.stream().map(LogRecord::deviceUdid).distinct()).hasSize(1);
                    assertThat(EvidencePatterns.maxInWindow(ev, LogRecord::deviceUdid, LogRecord::uuid, Duration.ofMinutes(10)))
                            .as(what).isGreaterThanOrEqualTo(10);
                }
                case "tls-pinning-fleet" -> assertThat(EvidencePatterns.devicesPerPinnedHost(ev)).as(what).isGreaterThanOrEqualTo(20);
                case "brute-force" -> {
                    assertThat(EvidencePatterns.failuresPerDevice(ev)).as(what).isGreaterThanOrEqualTo(15);
                    assertThat(ev.stream().map(EvidencePatterns::email).filter(e -> e != null).distinct()).hasSize(1);
                }
                case "credential-stuffing" -> assertThat(EvidencePatterns.usersPerDevice(ev)).as(what).isGreaterThanOrEqualTo(20);
                case "account-many-devices" -> assertThat(EvidencePatterns.devicesPerUser(ev)).as(what).isGreaterThanOrEqualTo(10);
                case "brute-force-success" -> {
                    assertThat(EvidencePatterns.failuresPerDevice(ev)).as(what).isGreaterThanOrEqualTo(15);
                    assertThat(ev.get(ev.size() - 1)).as(what).matches(EvidencePatterns::loginSuccess);
                }
                case "impossible-travel" -> {
                    assertThat(EvidencePatterns.impossibleTravel(ev)).as(what).isTrue();
                    assertThat(Duration.between(l.start(), l.end())).isLessThanOrEqualTo(Duration.ofHours(2));
                }
                case "error-spike" -> assertErrorSpike(l, ev, d);
                default -> {
                    // The mobile pack (issue 30): evidence that says what the rule reports.
                    assertThat(MobileEvidence.isMobileRule(l.ruleId())).as("unexpected rule id " + l.ruleId()).isTrue();
                    assertThat(ev).as(what).allMatch(r -> MobileEvidence.shows(l.ruleId(), r));
                }
            }
        }
        // Every attack gives labels; the benign look-alikes of the mobile pack give none.
        assertThat(scenarios).containsExactlyInAnyOrderElementsOf(
                Scenarios.attacks().stream().filter(s -> !s.equals("mobile-lookalikes")).toList());
        assertThat(apps).hasSize(3);
        assertThat(days).containsExactlyInAnyOrder(0, 1);
        // a brute force that succeeds is two expected alerts: the brute force and its success
        assertThat(d.labels().stream().filter(l -> l.scenario().equals("brute-force-success")).map(ScenarioLabel::ruleId))
                .containsExactly("brute-force", "brute-force-success", "brute-force", "brute-force-success");
    }

    /** The version's error+fatal share in the labeled window is at least 5x its share before, for 30+ minutes. */
    private static void assertErrorSpike(ScenarioLabel l, List<LogRecord> ev, Dataset d) {
        assertThat(ev).allMatch(EvidencePatterns::errorOrFatal);
        assertThat(Duration.between(l.start(), l.end())).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        String version = l.group().get("version.version");
        long before = 0;
        long beforeErrors = 0;
        long during = 0;
        long duringErrors = 0;
        for (GeneratedLog g : d.logs(l.app())) {
            LogRecord r = g.record();
            if (!version.equals(r.getString("version.version"))) {
                continue;
            }
            if (r.time().isBefore(l.start())) {
                before++;
                beforeErrors += EvidencePatterns.errorOrFatal(r) ? 1 : 0;
            } else if (!r.time().isAfter(l.end())) {
                during++;
                duringErrors += EvidencePatterns.errorOrFatal(r) ? 1 : 0;
            }
        }
        assertThat(before).as("the version has a baseline").isGreaterThan(300);
        double baseRate = (double) Math.max(1, beforeErrors) / before;
        assertThat((double) duringErrors / during).isGreaterThanOrEqualTo(5 * baseRate);
    }

    @Test
    void someEvidenceArrivesHoursLate() {
        Dataset d = attacks();
        Map<String, GeneratedLog> arrivals = new HashMap<>();
        d.apps().forEach(a -> d.logs(a.id()).forEach(g -> arrivals.put(g.record().uuid(), g)));
        long lateLabels = d.labels().stream().filter(l -> l.evidence().stream().map(arrivals::get)
                .anyMatch(g -> Duration.between(g.record().time(), g.arrival()).toMinutes() >= 60)).count();
        long minutesLate = d.labels().stream().filter(l -> l.ruleId().equals("brute-force") && l.evidence().stream()
                .map(arrivals::get).allMatch(g -> Duration.between(g.record().time(), g.arrival()).toMinutes() >= 5)).count();
        assertThat(lateLabels).isGreaterThanOrEqualTo(4);
        assertThat(minutesLate).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameAttacksAndAnAttackIsTheSameAloneOrInAList() {
        Dataset a = generate(9, 8_000, "all");
        Dataset b = generate(9, 8_000, "all");
        assertThat(json(a.labels())).isEqualTo(json(b.labels()));
        for (GeneratedApp app : a.apps()) {
            assertThat(a.logs(app.id()).stream().map(g -> g.record().fields() + "@" + g.arrival()).toList())
                    .isEqualTo(b.logs(app.id()).stream().map(g -> g.record().fields() + "@" + g.arrival()).toList());
        }
        assertThat(json(generate(10, 8_000, "all").labels())).isNotEqualTo(json(a.labels()));
        List<String> alone = json(generate(9, 8_000, "credential-stuffing").labels());
        List<String> inList = json(generate(9, 8_000, "root-jailbreak, credential-stuffing").labels());
        assertThat(alone).isNotEmpty();
        assertThat(json(a.labels())).containsAll(alone);
        assertThat(inList).containsAll(alone).hasSizeGreaterThan(alone.size());
        assertThat(Scenarios.byName("brute-force,nope")).isEmpty();
        assertThat(generate(9, 8_000, "none").labels()).isEmpty();
    }

    private static List<String> json(List<ScenarioLabel> labels) {
        return labels.stream().map(ScenarioLabels::toJson).toList();
    }

    @Test
    void theApiServesEveryEvidenceLogAndTheLabelsFileHoldsTheLabels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("labels.jsonl");
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(3).days(2).end(END).logsPerDay(6_000).scenario("all")
                .labelsFile(file).clientSecret("cs-1", "s3cret", List.of()).start()) {
            assertThat(ScenarioLabels.read(file)).isEqualTo(emu.labels());
            EmulatorHttp h = new EmulatorHttp(emu);
            String token = h.secretToken("cs-1", "s3cret");
            Set<String> served = new HashSet<>();
            for (EmulatorApp app : emu.apps()) {
                String body = h.get(emu.baseUrl() + "/api/app/" + app.id()
                        + "/logs/download?date_range_start=2026-11-26T00:00:00Z", token).body();
                for (String line : body.split("\n")) {
                    if (!line.isBlank()) {
                        served.add(app.id() + "/" + EmulatorHttp.JSON.readTree(line).get("uuid").asText());
                    }
                }
            }
            List<String> expected = new ArrayList<>();
            emu.labels().forEach(l -> l.evidence().forEach(u -> expected.add(l.app() + "/" + u)));
            assertThat(expected).hasSizeGreaterThan(300);
            assertThat(served).containsAll(expected);
        }
    }

    @Test
    void benignTrafficAloneShowsNoAttack() {
        for (long seed : new long[] {42}) {
            Dataset d = generate(seed, 50_000, "none");
            List<LogRecord> logs = new ArrayList<>(byUuid(d).values());
            assertThat(logs).hasSize(100_000);
            assertThat(logs).noneMatch(EvidencePatterns::secret).noneMatch(EvidencePatterns::root)
                    .noneMatch(EvidencePatterns::tamper).noneMatch(EvidencePatterns::pinning);
            // what the counting attacks would need, benign traffic stays well below
            assertThat(EvidencePatterns.failuresPerDevice(logs)).isLessThan(3);
            assertThat(EvidencePatterns.usersPerDevice(logs)).isLessThan(2);
            assertThat(EvidencePatterns.devicesPerUser(logs)).isLessThan(3);
            assertThat(EvidencePatterns.impossibleTravel(logs)).isFalse();
            assertThat(EvidencePatterns.worstErrorRatio(logs)).isLessThan(3);
            // the benign generator does write card-shaped numbers, but never Luhn-valid ones
            assertThat(logs).anyMatch(r -> EvidencePatterns.DIGITS.matcher(EvidencePatterns.text(r)).find());
        }
    }
}
