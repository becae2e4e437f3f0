package io.fendersec.detect.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.NormalizedLog;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/** Joined fields as rules read them: through normalization, lazily, and not forgeable by log text. */
class EnrichmentTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final LookupTable VIP = LookupTable.parse("vip.csv", "account,tier\nana@example.com,gold\n"
            + "ben@example.com,silver\n", LookupFormat.CSV, null, KeyMatch.EXACT);
    static final LookupTable NETS = LookupTable.parse("nets.csv", "network,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n",
            LookupFormat.CSV, null, KeyMatch.CIDR);

    @TempDir
    Path dir;
    int seq;

    LogRecord log(long minute, String text) {
        return log(minute, text, null, null);
    }

    LogRecord log(long minute, String text, String kvKey, String kvValue) {
        return log(minute, text, kvKey, kvValue, "Europe/Madrid");
    }

    LogRecord log(long minute, String text, String kvKey, String kvValue, String timezone) {
        LogRecord.Builder b = LogRecord.builder().put("uuid", "u" + seq++).put("app", "app1")
                .put("device.udid", "d" + seq).put("timezone", timezone).put("log_level", 4L).put("text", text)
                .put("time", T0.plusSeconds(minute * 60).toString());
        if (kvKey != null) {
            b.put("key_value_key", kvKey).put("key_value_value", kvValue);
        }
        return b.build();
    }

    static Normalizer normalizer(GeoIp geo) {
        return Normalizer.defaults().withEnrichment(Enrichment.of(List.of(new Lookup("user.name", "vip", VIP),
                new Lookup("source.ip", "internal", NETS)), geo));
    }

    @Test
    void joinedColumnsAreFieldsOfTheLog() {
        NormalizedLog n = normalizer(null).normalize(log(0, "Login succeeded for ana@example.com from 10.1.4.4"));
        assertThat(n.get("vip.tier")).isEqualTo("gold");
        assertThat(n.get("vip.account")).isEqualTo("ana@example.com");
        assertThat(n.get("internal.zone")).isEqualTo("lab");
        assertThat(n.get("internal.network")).isEqualTo("10.1.0.0/16");
        assertThat(n.has("vip.tier")).isTrue();
        // what SQL rules see as `fields`, and what the serializer carries to them
        assertThat(n.extracted()).containsEntry("vip.tier", "gold").containsEntry("internal.zone", "lab")
                .containsEntry("user.name", "ana@example.com");
        NormalizedLog other = normalizer(null).normalize(log(0, "Login succeeded for zed@example.com from 192.0.2.1"));
        assertThat(other.get("vip.tier")).isNull();
        assertThat(other.has("internal.zone")).isFalse();
        assertThat(other.extracted()).doesNotContainKeys("vip.tier", "internal.zone");
    }

    @Test
    void logTextCannotForgeAJoinedColumn() {
        NormalizedLog n = normalizer(null).normalize(log(0, "Login succeeded for zed@example.com", "vip.tier", "gold"));
        assertThat(n.get("vip.tier")).isNull();
        assertThat(n.has("vip.tier")).isFalse();
        // keyword searches cover the log, not joined columns
        assertThat(normalizer(null).normalize(log(0, "Login succeeded for ana@example.com")).values())
                .doesNotContain("gold");
    }

    static final String RULES = """
            title: VIP sign-in
            name: vip-login
            detection:
              sel: {event.action: login, vip.tier: gold}
              condition: sel
            ---
            title: Lab sign-in
            name: lab-login
            detection:
              sel: {event.action: login, internal.zone|startswith: la}
              condition: sel
            """;

    @Test
    void sigmaRulesMatchOnJoinedColumns() {
        RuleSet rules = RuleLoader.create().builtin(List.of()).text("r.yml", RULES).load();
        List<LogRecord> logs = List.of(
                log(0, "Login succeeded for ana@example.com from 192.0.2.1"),
                log(1, "Login succeeded for ben@example.com from 10.1.0.7"),
                log(2, "Login succeeded for zed@example.com from 10.2.0.7", "vip.tier", "gold"));
        List<Alert> alerts = LocalEvaluator.evaluate(logs, normalizer(null), rules, DetectionSettings.defaults());
        assertThat(alerts).extracting(a -> a.ruleId() + " " + a.evidence())
                .containsExactlyInAnyOrder("vip-login [u0]", "lab-login [u1]");
        // without the lookups only the forged key-value pair named vip.tier answers: the lookup is what shadows it
        assertThat(LocalEvaluator.evaluate(logs, Normalizer.defaults(), rules, DetectionSettings.defaults()))
                .extracting(a -> a.ruleId() + " " + a.evidence()).containsExactly("vip-login [u2]");
    }

    @Test
    void aRuleOnAJoinedColumnIsFoundAmongManyIndexedFields() {
        // Past 24 indexed fields the rule index looks up the fields a log may have: joined ones must be among them.
        StringBuilder many = new StringBuilder("title: Gold\nname: gold\ndetection:\n  sel: {vip.tier: gold}\n"
                + "  condition: sel\n");
        for (int i = 0; i < 30; i++) {
            many.append("---\ntitle: F").append(i).append("\nname: f").append(i)
                    .append("\ndetection:\n  sel: {field").append(i).append(": value").append(i)
                    .append("}\n  condition: sel\n");
        }
        RuleSet rules = RuleLoader.create().builtin(List.of()).text("r.yml", many.toString()).load();
        List<Alert> alerts = LocalEvaluator.evaluate(List.of(log(0, "Login succeeded for ana@example.com from 10.1.0.7")),
                normalizer(null), rules, DetectionSettings.defaults());
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("gold");
    }

    @Test
    void aLookupRunsOnlyWhenARuleReadsItsFields() throws Exception {
        Path db = GeoIpTest.cityDatabase(dir);
        GeoIp geo = GeoIp.of(db, "enrich.geoip");
        Files.delete(db); // any GeoIP lookup from now on fails loudly
        RuleSet rules = RuleLoader.create().builtin(List.of()).text("r.yml", RULES).load();
        List<Alert> alerts = LocalEvaluator.evaluate(List.of(log(0, "Login succeeded for ana@example.com from 81.2.69.1")),
                normalizer(geo), rules, DetectionSettings.defaults());
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("vip-login");
        NormalizedLog n = normalizer(geo).normalize(log(0, "Login succeeded for ana@example.com from 81.2.69.1"));
        assertThat(n.get("vip.tier")).isEqualTo("gold");
        assertThatThrownBy(() -> n.get("geo.country")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must exist at that path on every TaskManager");
    }

    @Test
    void impossibleTravelFiresOnSpeedBetweenGeoLocatedSignIns() throws Exception {
        GeoIp geo = GeoIp.of(GeoIpTest.cityDatabase(dir), "enrich.geoip");
        RuleSet pack = RuleLoader.builtin();
        List<LogRecord> logs = new ArrayList<>();
        // London, then Milton (US, 7,700 km) 30 minutes later; one timezone region on the device
        logs.add(log(0, "Login succeeded for ana@example.com from 81.2.69.160"));
        logs.add(log(30, "Login succeeded for ana@example.com from 216.160.83.56"));
        // the same address twice, timezones of two regions: possible by speed (0 km), impossible by
        // region; the address comes from log text, so a location never hides what the regions show
        LogRecord b1 = log(0, "Login succeeded for ben@example.com from 89.160.20.5");
        LogRecord b2 = log(20, "Login succeeded for ben@example.com from 89.160.20.5", null, null, "Asia/Tokyo");
        logs.add(b1);
        logs.add(b2);
        List<Alert> alerts = LocalEvaluator.evaluate(logs, normalizer(geo), pack, DetectionSettings.defaults());
        List<Alert> travel = alerts.stream().filter(a -> a.ruleId().equals("impossible-travel")).toList();
        assertThat(travel).extracting(a -> a.group().get("user.name"))
                .containsExactlyInAnyOrder("ana@example.com", "ben@example.com");
        assertThat(travel).filteredOn(a -> a.group().get("user.name").equals("ana@example.com")).singleElement()
                .satisfies(a -> {
                    assertThat(a.count()).isBetween(14_000L, 16_000L); // 7,700 km in half an hour
                    assertThat(a.evidence()).containsExactly("u0", "u1");
                });
        // Without GeoIP the same logs are judged by region: ana stays in one region, ben changes region
        assertThat(LocalEvaluator.evaluate(logs, Normalizer.defaults(), pack, DetectionSettings.defaults()))
                .filteredOn(a -> a.ruleId().equals("impossible-travel")).extracting(a -> a.group().get("user.name"))
                .containsExactly("ben@example.com");
    }

    @Test
    void aJoinedFieldNoLookupKeyOrExtractorMayShare() {
        assertThatThrownBy(() -> Enrichment.of(List.of(new Lookup("user.name", "vip", VIP),
                new Lookup("device.udid", "vip", VIP)), null)).hasMessageContaining("enrich.lookups[1]: field 'vip.account'");
        LookupTable regions = LookupTable.parse("r.csv", "region\nemea\n", LookupFormat.CSV, null, KeyMatch.EXACT);
        assertThatThrownBy(() -> Normalizer.defaults().withEnrichment(Enrichment.of(List.of(
                new Lookup("timezone", "geo", regions)), null)))
                .hasMessageContaining("field 'geo.region' is also written by a normalize extractor");
        assertThatThrownBy(() -> Enrichment.of(List.of(new Lookup("user.name", "vip", VIP),
                new Lookup("vip.tier", "tiers", VIP)), null)).hasMessageContaining("enrich.lookups[1].key");
    }
}
