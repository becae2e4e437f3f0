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
