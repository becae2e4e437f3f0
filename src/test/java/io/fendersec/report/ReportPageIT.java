package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * The report as a user gets it: written by {@code java -jar fendersec.jar report} from a folder
 * laid out as the file sink leaves it, then loaded in real headless Chromium. The expectations are
 * counted from the fixture alerts here, not from the report model, so a model bug shows.
 *
 * <p>The page and a screenshot stay in {@code target/report-it/} to look at.
 */
class ReportPageIT {
    static final Path WORK = Path.of("target", "report-it").toAbsolutePath();
    static final Path PAGE = WORK.resolve("report.html");
    static final String TITLE = "Weekly <b>review</b>";
    static final List<Alert> DEMO = ReportFixtures.demo();

    static HeadlessChromium chromium;
    static String pageUrl;

    @BeforeAll
    static void writeReport() throws Exception {
        chromium = HeadlessChromium.find();
        deleteTree(WORK);
        Path bucket = Files.createDirectories(WORK.resolve("alerts/2026-03-01--09"));
        List<String> lines = new ArrayList<>();
        DEMO.forEach(a -> lines.add(AlertJson.toJson(tagged(a))));
        // The job re-emits the first episode with more evidence under the same id: one row, latest version.
        Alert first = DEMO.get(0);
        lines.add(AlertJson.toJson(tagged(first).toBuilder().count(12).evidence(ReportFixtures.evidence(12))
                .seen(first.firstSeen().toEpochMilli(), first.lastSeen().plusSeconds(60).toEpochMilli()).build()));
        lines.add("{\"truncated\": ");
        Files.write(bucket.resolve("part-4c1d-0"), lines, StandardCharsets.UTF_8);
        Alert uncommitted = ReportFixtures.alert("uncommitted-rule", "high", "app-9", "d9", Map.of(), first.firstSeen(), 1);
        Files.writeString(bucket.resolve(".part-4c1d-1.inprogress.0b2e"), AlertJson.toJson(uncommitted) + "\n");

        Path jar = Path.of(System.getProperty("fendersec.jar", "target/fendersec.jar")).toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "report", WORK.resolve("alerts").toString(), "--out", PAGE.toString(), "--title", TITLE)
                .redirectOutput(WORK.resolve("out.txt").toFile()).redirectError(WORK.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("report command ended").isTrue();
        String err = Files.readString(WORK.resolve("err.txt"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).contains("skipped 1 line(s) that are not alerts", "part-4c1d-0:14");
        pageUrl = PAGE.toUri().toString();
    }

    /** Brute-force alerts carry their rule's ATT&CK tags, as the built-in rule's alerts do. */
    static Alert tagged(Alert a) {
        return a.ruleId().equals("brute-force")
                ? a.toBuilder().tags(List.of("attack.credential-access", "attack.t1110", "attack.g0001")).build() : a;
    }

    static Document load(String hash) throws Exception {
        Document d = Jsoup.parse(chromium.dumpDom(pageUrl + hash));
        assertThat(d.body().attr("data-render-error")).as("script error").isEmpty();
        assertThat(d.body().attr("data-rendered")).as("the script ran to the end").isEqualTo("true");
        return d;
    }

    static Element chart(Document d, String name) {
        Element svg = d.selectFirst("svg[data-chart=" + name + "]");
        assertThat(svg).as("chart " + name).isNotNull();
        assertThat(svg.attr("data-rendered")).isEqualTo("true");
        return svg;
    }

    @Test
    void everyChartRendersItsBars() throws Exception {
        Document d = load("");
        long ruleHourCells = DEMO.stream().map(a -> a.ruleId() + "@" + a.firstSeen().truncatedTo(ChronoUnit.HOURS))
                .distinct().count();
        Element timeline = chart(d, "timeline");
        assertThat(timeline.select("rect")).hasSize((int) ruleHourCells);
        assertThat(timeline.select("rect").eachAttr("data-rule")).containsOnly("brute-force", "jailbreak-detected", "token-reuse");
        assertThat(d.select("#timeline-title").text()).isEqualTo("Alerts per hour by rule");
        // Two alerts of brute-force share the 09:00 bucket; their bar says so.
        assertThat(timeline.select("rect[data-rule=brute-force][data-bucket=2026-03-01T09:00:00Z]").attr("data-count"))
                .isEqualTo("2");

        assertThat(chart(d, "severity").select("rect"))
                .hasSize((int) DEMO.stream().map(Alert::severity).distinct().count());
        assertThat(chart(d, "apps").select("rect").eachAttr("data-name")).containsExactly("app-1", "app-2", "app-3");
        assertThat(chart(d, "devices").select("rect"))
                .hasSize((int) DEMO.stream().map(Alert::device).filter(Objects::nonNull).distinct().count());
        assertThat(chart(d, "devices").select("rect").first().attr("data-name")).isEqualTo("d1");
    }

    @Test
    void theTableHasOneRowPerAlertAndSkipsUncommittedFiles() throws Exception {
        Document d = load("");
        assertThat(d.select("#alerts-body tr")).hasSize(DEMO.size());
        assertThat(d.select("#alerts-body tr").eachAttr("data-alert-id"))
                .containsExactlyInAnyOrderElementsOf(DEMO.stream().map(Alert::alertId).toList());
        assertThat(d.select("#alerts-head th").eachText()).containsExactly("alert_id", "rule", "ATT&CK", "severity", "app",
                "group", "device", "window (UTC)", "count", "evidence");
        assertThat(d.text()).doesNotContain("uncommitted-rule");
        // The re-emitted episode shows its latest count.
        Element row = d.selectFirst("#alerts-body tr[data-alert-id=" + DEMO.get(0).alertId() + "]");
        assertThat(row.select("td[data-key=count]").text()).isEqualTo("12");
        assertThat(row.select("td[data-key=evidence]").text()).isEqualTo("12");
        assertThat(d.selectFirst("#problems").hasAttr("hidden")).isFalse();
        assertThat(d.select("#problems-list li")).singleElement().extracting(Element::text).asString()
                .contains("part-4c1d-0:14: not JSON");
    }

    @Test
    void theCoverageSectionShowsTheBuiltinPacksTacticsWithGapsAndMasvs() throws Exception {
        Document d = load("");
        assertThat(d.selectFirst("#coverage").hasAttr("hidden")).isFalse();
        assertThat(d.select("#coverage-summary").text()).startsWith("Rules in force: the built-in pack. 11 of 15 ATT&CK tactics");
        // Counted from the catalog and the pack's tags: 15 tactics, 11 covered (with the mobile pack, issue 30), so 4
        // gap rows (resource development, defense impairment, lateral movement, exfiltration); 24 MASVS controls, 14 covered.
        assertThat(d.select("#coverage-attack td.gap")).hasSize(4);
        assertThat(d.select("#coverage-attack td.gap").eachText()).containsOnly("gap");
        assertThat(d.select("#coverage-masvs td.gap")).hasSize(10);
        Element t1499 = d.select("#coverage-attack tr").stream().filter(tr -> tr.text().contains("T1499")).findFirst().orElseThrow();
        assertThat(t1499.text()).isEqualTo("Impact (impact) TA0040 TA0034 T1499 error-spike");
        assertThat(d.select("#alerts-body td[data-key=attack]").eachText()).contains("credential-access, T1110");
    }

    @Test
    void hostileValuesShowAsTextAndNeverRun() throws Exception {
        Document d = load("");
        assertThat(d.title()).isEqualTo(TITLE);
        assertThat(d.selectFirst("h1").text()).isEqualTo(TITLE);
        assertThat(d.select("h1 b, img")).isEmpty();
        assertThat(d.select("#alerts-body td[data-key=device]").eachText()).contains(ReportFixtures.HOSTILE);
        assertThat(d.select("#alerts-body td[data-key=group]").eachText()).contains("user.id=" + ReportFixtures.HOSTILE);
        // Only the page's own script elements exist: the data block, the alert details and the renderer.
        assertThat(d.select("script")).hasSize(3);
        assertThat(d.select("script[type=application/json]")).extracting(e -> e.id())
                .containsExactly("report-data", "report-details");
    }

    @Test
    void theHashSortsAndFilters() throws Exception {
        Document byCount = load("#sort=-count");
        List<Long> counts = byCount.select("#alerts-body td[data-key=count]").eachText().stream().map(Long::valueOf).toList();
        assertThat(counts).hasSize(DEMO.size()).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(counts.get(0)).isEqualTo(12);
        assertThat(byCount.selectFirst("th[data-key=count]").attr("aria-sort")).isEqualTo("descending");

        Document bySeverity = load("#sort=severity");
        assertThat(bySeverity.select("#alerts-body td[data-key=severity]").eachText())
                .containsExactly("critical", "critical", "critical", "high", "high", "high", "high", "high", "medium",
                        "medium", "medium", "low");

        Document filtered = load("#sort=rule&filter=JAILBREAK");
        assertThat(filtered.select("#alerts-body tr")).hasSize(3);
        assertThat(filtered.select("#alerts-body td[data-key=rule]").eachText()).containsOnly("jailbreak-detected");
        assertThat(filtered.selectFirst("#shown").text()).isEqualTo("3 of " + DEMO.size() + " alerts");
    }

    @Test
    void aBrokenPercentEscapeInTheHashKeepsThePageWorking() throws Exception {
        // A lone '%' (a hand-typed link) makes decodeURIComponent throw: the page must still render and filter.
        Document lone = load("#filter=%");
        assertThat(lone.selectFirst("#shown").text()).isEqualTo("0 of " + DEMO.size() + " alerts");
        Document broken = load("#sort=-count&filter=%E0%A4%A");
        assertThat(broken.selectFirst("#shown").text()).isEqualTo("0 of " + DEMO.size() + " alerts");
        assertThat(broken.selectFirst("th[data-key=count]").attr("aria-sort")).isEqualTo("descending");
    }

    @Test
    void anAlertDatedInYear9999KeepsThePageSmallAndItsChartBounded() throws Exception {
        Alert now = DEMO.get(0);
        Alert future = ReportFixtures.alert("clock-skew", "low", "app-1", "d1", Map.of(),
                java.time.Instant.parse("9999-12-31T23:00:00Z"), 1);
        Path page = WORK.resolve("far-future.html");
        Files.writeString(page, HtmlReport.render(AlertReport.of("Far future", List.of(now, future), 1, 0, List.of(), 10,
                java.time.Instant.parse("2026-03-03T00:00:00Z"))));
        assertThat(Files.size(page)).as("page bytes").isLessThan(200_000);
        Document d = Jsoup.parse(chromium.dumpDom(page.toUri().toString()));
        assertThat(d.body().attr("data-render-error")).as("script error").isEmpty();
        assertThat(d.body().attr("data-rendered")).isEqualTo("true");
        Element timeline = chart(d, "timeline");
        assertThat(Integer.parseInt(timeline.attr("data-bars"))).isBetween(1, TimeBuckets.MAX_BUCKETS);
        assertThat(d.selectFirst("#timeline-title").text()).isEqualTo("Alerts per 50 years by rule");
    }

    @Test
    void aScreenshotIsTakenToLookAt() throws Exception {
        Path png = WORK.resolve("report.png");
        chromium.screenshot(pageUrl, png, 1280, 1600);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.size(png)).as("a page, not a blank image").isGreaterThan(30_000);
        System.out.println("report screenshot: " + png);
    }

    /**
     * The secret part of each kind of secret the emulator's secret-in-log scenario writes (group 1),
     * from how the scenario makes them: a JWT's payload and signature (the header is the same in every
     * token), a 40-character bearer token, one of four passwords, an AWS key id, the base64 lines of
     * a private key, a 16-digit card number with or without spaces.
     */
    static final Map<String, java.util.regex.Pattern> SECRET_SHAPES = Map.of(
            "jwt", java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]+\\.([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43})"),
            "bearer_token", java.util.regex.Pattern.compile("Bearer ([A-Za-z0-9]{40})"),
            "password", java.util.regex.Pattern.compile("(Summer2024!|hunter2hunter2|P@ssw0rd-[0-9]{1,3}|Barcelona#1992)"),
            "aws_access_key", java.util.regex.Pattern.compile("(AKIA[A-Z2-7]{16})"),
            "private_key", java.util.regex.Pattern.compile("(?m)^([A-Za-z0-9+/]{64})$"),
            "card_number", java.util.regex.Pattern.compile("(?<![0-9])([0-9]{4} ?[0-9]{4} ?[0-9]{4} ?[0-9]{4})(?![0-9])"));

    /**
     * A real job run writes the alerts (emulator attacks, archive, {@code evidence: logs}), the jar
     * writes the report with {@code --job}, and in the browser a mouse click on a secret-in-log
     * alert opens it: its evidence logs, redacted, the device's timeline from the archive with the
     * evidence marked, and dashboard links. The screenshot is docs/report-alert.png.
     */
    @Test
    void clickingAnAlertOpensItsEvidenceAndDeviceTimeline() throws Exception {
        Path work = Files.createDirectories(WORK.resolve("job"));
        Path job = work.resolve("job.yaml");
        Files.writeString(job, "source:\n"
                + "  emulator: {seed: 5, scenario: 'secret-in-log,brute-force', apps: 1, days: 1,"
                + " end: 2026-11-28T00:00:00Z, logs-per-day: 3000}\n"
                + "  mode: bounded\n  slice: 6h\n  page-size: 500\n"
                + "sinks:\n  archive: {path: " + work.resolve("archive") + "}\n"
                + "  alerts: [{type: file, path: " + work.resolve("alerts") + ", evidence: logs}]\n"
                + "report: {dashboard-url: 'https://dashboard.example.com/app/{app}/device/{device}?log={log}'}\n"
                + "checkpointing: {interval: 1s}\nparallelism: 1\n");
        assertThat(jar(work, "run", job.toString())).as("bounded run with alerts").isEqualTo(1);
        Path page = work.resolve("report.html");
        assertThat(jar(work, "report", work.resolve("alerts").toString(), "--job", job.toString(), "--out",
                page.toString(), "--title", "Evidence")).isZero();

        List<Alert> alerts = AlertFiles.read(AlertFiles.find(List.of(work.resolve("alerts")))).alerts();
        Alert secret = alerts.stream().filter(a -> a.ruleId().equals("secret-in-log")).findFirst().orElseThrow();
        Map<String, String> archived = archivedTexts(work.resolve("archive"));
        String html = Files.readString(page);
        // The archive holds each secret raw; the page never does (JSON-escaped or not). What counts as
        // the secret is written here by hand from the scenario (emulator SecretInLog: how each kind is
        // made), not asked of the redactor under test. Every secret-in-log alert, not only the one
        // clicked below: each kind must be found in its logs, so no pattern can silently match nothing.
        List<Alert> secretAlerts = alerts.stream().filter(a -> a.ruleId().equals("secret-in-log")).toList();
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (Alert a : secretAlerts) {
            String kind = a.group().get("secret.kind");
            java.util.regex.Pattern shape = SECRET_SHAPES.get(kind);
            assertThat(shape).as("a hand-written shape for the scenario's kind " + kind).isNotNull();
            for (String uuid : a.evidence()) {
                String raw = archived.get(uuid);
                assertThat(raw).isNotNull();
                java.util.regex.Matcher m = shape.matcher(raw);
                assertThat(m.find()).as(kind + " secret in the archived log").isTrue();
                do {
                    String piece = m.group(1);
                    kinds.add(kind);
                    assertThat(html).as("a " + kind + " secret of the archive").doesNotContain(piece)
                            .doesNotContain(piece.replace("/", "\\/"));
                    if (kind.equals("card_number")) {
                        assertThat(html).doesNotContain(piece.replace(" ", ""));
                    }
                } while (m.find());
            }
        }
        assertThat(kinds).as("secrets checked").isNotEmpty().contains(secret.group().get("secret.kind"));

        try (ChromiumPage browser = chromium.page(page.toUri().toString(), 1280, 1400)) {
            assertThat(browser.eval("document.getElementById('detail').hidden").asBoolean()).isTrue();
            browser.click("#alerts-body tr[data-alert-id='" + secret.alertId() + "'] td[data-key=rule]");
            Document d = Jsoup.parse(browser.dom());
            Element detail = d.selectFirst("#detail");
            assertThat(detail.hasAttr("hidden")).as("the click opened the alert").isFalse();
            assertThat(detail.attr("data-alert-id")).isEqualTo(secret.alertId());
            assertThat(d.selectFirst("#detail-title").text()).contains("secret-in-log");

            List<Element> evidence = d.select("#evidence-body tr");
            assertThat(evidence).hasSize(secret.evidenceLogs().size());
            for (Element tr : evidence) {
                assertThat(secret.evidence()).contains(tr.attr("data-uuid"));
                assertThat(tr.selectFirst("td.text").text()).contains("[redacted ");
                Element link = tr.selectFirst("a");
                assertThat(link.attr("href")).isEqualTo("https://dashboard.example.com/app/" + secret.app()
                        + "/device/" + secret.device() + "?log=" + tr.attr("data-uuid"));
                assertThat(link.attr("rel")).contains("noopener");
            }
            assertThat(d.selectFirst("#detail-links a").attr("href")).isEqualTo(
                    "https://dashboard.example.com/app/" + secret.app() + "/device/" + secret.device() + "?log=");

            Element timeline = d.selectFirst("#device-timeline");
            assertThat(timeline.attr("data-source")).isEqualTo("archive");
            List<Element> lines = d.select("#device-timeline-body tr");
            assertThat(lines.size()).as("the device's other logs around the alert too").isGreaterThan(evidence.size());
            assertThat(d.select("#device-timeline-body tr.evidence")).extracting(e -> e.attr("data-uuid"))
                    .containsExactlyInAnyOrderElementsOf(secret.evidence());
            List<String> times = lines.stream().map(tr -> tr.selectFirst("td").text()).toList();
            assertThat(times).isSorted();
            assertThat(d.selectFirst("#alerts-body tr.open").attr("data-alert-id")).isEqualTo(secret.alertId());

            Path png = WORK.resolve("report-alert.png");
            browser.screenshot(png);
            assertThat(Files.size(png)).as("a page, not a blank image").isGreaterThan(30_000);
            System.out.println("report alert screenshot (docs/report-alert.png): " + png);
        }
    }

    private static int jar(Path work, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("fendersec.jar", "target/fendersec.jar")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(work.resolve(args[0] + ".out").toFile())
                .redirectError(work.resolve(args[0] + ".err").toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(args[0] + " ended").isTrue();
        return p.exitValue();
    }

    private static Map<String, String> archivedTexts(Path archive) throws IOException {
        Map<String, String> out = new java.util.HashMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var walk = Files.walk(archive)) {
            for (Path f : walk.filter(Files::isRegularFile).filter(x -> !x.getFileName().toString().startsWith("."))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    var n = json.readTree(line);
                    out.put(n.get("uuid").asText(), n.path("text").asText());
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
