package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class HtmlReportTest {
    static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    static AlertReport report(String title) {
        return AlertReport.of(title, ReportFixtures.demo(), 2, 0, List.of("f:1: not JSON: <b>"), 10,
                Instant.parse("2026-03-03T00:00:00Z"));
    }

    @Test
    void hostileValuesCannotEndTheDataBlockAndReadBackUnchanged() throws Exception {
        String html = HtmlReport.render(report("Weekly"));
        // The first </script> after the data block's start is its own end: nothing inside closed it.
        Matcher m = DATA.matcher(html);
        assertThat(m.find()).isTrue();
        String data = m.group(1);
        assertThat(data).doesNotContain("<", ">", "&");
        JsonNode parsed = new ObjectMapper().readTree(data);
        assertThat(parsed.toString()).contains("onerror");
        assertThat(parsed.findValuesAsText("device")).contains(ReportFixtures.HOSTILE);
        assertThat(parsed.get("badLines").get(0).asText()).isEqualTo("f:1: not JSON: <b>");
    }

    @Test
    void coverageSectionAndAlertTacticsAreInThePageAndHostileRuleTextStaysData() throws Exception {
        Alert tagged = ReportFixtures.alert("r", "high", "a", "d", java.util.Map.of(), Instant.parse("2026-03-01T10:00:00Z"), 1)
                .toBuilder().tags(List.of("attack.initial-access", "attack.t1078", "attack.g0001")).build();
        RuleCoverage coverage = RuleCoverage.of(List.of(new RuleCoverage.RuleRef(ReportFixtures.HOSTILE, ReportFixtures.HOSTILE,
                List.of("attack.exfiltration", "attack.t1041", "owasp.masvs.storage-2"))));
        String html = HtmlReport.render(AlertReport.of("t", List.of(tagged), 1, 0, List.of(), 10,
                Instant.parse("2026-03-03T00:00:00Z")).withCoverage(coverage, "job <b>x</b>.yaml"));
        assertThat(html).contains("<section class=\"card coverage\" id=\"coverage\" hidden>", "drawCoverage(data.coverage");
        Matcher m = DATA.matcher(html);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).doesNotContain("<", ">", "&");
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        assertThat(data.get("rows").get(0).get("attack").asText()).isEqualTo("initial-access, T1078");
        assertThat(data.get("coverageOf").asText()).isEqualTo("job <b>x</b>.yaml");
        JsonNode exfil = data.get("coverage").get("tactics").get(13);
        assertThat(exfil.get("name").asText()).isEqualTo("exfiltration");
        assertThat(exfil.get("techniques").get(0).get("rules").get(0).asText()).isEqualTo(ReportFixtures.HOSTILE);
        assertThat(data.get("coverage").get("tactics").get(0).get("rules")).isEmpty();
        assertThat(data.get("coverage").get("masvs")).hasSize(8);
    }

    @Test
    void withoutCoverageTheSectionStaysHidden() throws Exception {
        Matcher m = DATA.matcher(HtmlReport.render(report("t")));
        assertThat(m.find()).isTrue();
        assertThat(new ObjectMapper().readTree(m.group(1)).get("coverage").isNull()).isTrue();
    }

    @Test
    void theTitleIsEscapedAndNotExpandedAsATemplateSlot() {
        String html = HtmlReport.render(report("<i>Q1</i> & {{DATA}} \"x\""));
        assertThat(html).contains("<title>&lt;i&gt;Q1&lt;/i&gt; &amp; {{DATA}} &quot;x&quot;</title>");
        assertThat(html).doesNotContain("<i>Q1");
    }

    @Test
    void thePageFetchesNothing() {
        String html = HtmlReport.render(report("t"));
        // Self-contained: no external script, style or image, and a policy that forbids any fetch.
        assertThat(html).doesNotContain("src=\"http", "href=\"http", "<link", "@import");
        assertThat(html).contains("default-src 'none'");
        // The script never writes markup from data.
        assertThat(html).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write");
    }

    @Test
    void escapeJsonForScriptKeepsJsonEquivalent() throws Exception {
        String json = "{\"a\":\"</script>&\u2028\"}";
        String escaped = HtmlReport.escapeJsonForScript(json);
        assertThat(escaped).isEqualTo("{\"a\":\"\\u003c/script\\u003e\\u0026\\u2028\"}");
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(escaped)).isEqualTo(m.readTree(json));
    }

    @Test
    void anAlertDatedFarInTheFutureDoesNotBlowUpThePage() {
        Alert now = ReportFixtures.alert("r", "high", "a", "d", java.util.Map.of(), Instant.parse("2026-03-01T10:00:00Z"), 1);
        Alert future = ReportFixtures.alert("r", "high", "a", "d", java.util.Map.of(), Instant.parse("9999-12-31T10:00:00Z"), 1);
        String html = HtmlReport.render(AlertReport.of("t", List.of(now, future), 1, 0, List.of(), 10,
                Instant.parse("2026-03-03T00:00:00Z")));
        assertThat(html.length()).as("page size").isLessThan(200_000);
        assertThat(AlertReport.timeline(List.of(now, future)).buckets()).hasSizeLessThanOrEqualTo(TimeBuckets.MAX_BUCKETS);
    }
}
