package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/** The read contract of docs/emulator.md: snapshot pages, the tail, cursors, filters, download, count. */
class EmulatorPagingTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final String START = "2026-11-27T00:00:00Z";

    BugfenderEmulator emu;
    EmulatorHttp h;
    String token;
    String app;

    @BeforeEach
    void start() throws Exception {
        emu = BugfenderEmulator.builder().seed(7).apps(1).days(1).end(END).logsPerDay(2_345)
                .clientSecret("cs-1", "s3cret", List.of()).start();
        h = new EmulatorHttp(emu);
        token = h.secretToken("cs-1", "s3cret");
        app = emu.apps().get(0).id();
    }

    @AfterEach
    void stop() {
        emu.close();
    }

    private String url(String endpoint, String query) {
        return emu.baseUrl() + "/api/app/" + app + "/logs/" + endpoint + "?" + query;
    }

    private JsonNode get(String url) throws Exception {
        return h.getJson(url, token);
    }

    private static List<String> uuids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(l -> out.add(l.get("uuid").asText()));
        return out;
    }

    private static String text(JsonNode n) {
        return n.isNull() ? null : n.asText();
    }

    private LogRecord newLog(String time, String text) {
        return LogRecord.builder().put(LogFields.UUID, UUID.randomUUID().toString()).put(LogFields.APP, app)
                .put(LogFields.DEVICE_UDID, "test-device").put(LogFields.TEXT, text).put(LogFields.LOG_LEVEL, 4L)
                .put(LogFields.TIME, time).put(LogFields.ABSOLUTE_TIME, 1L).build();
    }

    @Test
    void nextWalksTheSnapshotNewestFirstAndLastIsTheOldestPage() throws Exception {
        JsonNode page = get(url("paginated", "date_range_start=" + START + "&page_size=500"));
        List<String> all = new ArrayList<>();
        String lastUrl = text(page.get("last"));
        String previousOfPage0 = text(page.get("previous"));
        Instant prevTime = Instant.MAX;
        long prevAbs = Long.MAX_VALUE;
        int pages = 0;
        String url = null;
        while (true) {
            pages++;
            for (JsonNode l : page.get("data")) {
                Instant t = Instant.parse(l.get("time").asText());
                long abs = l.get("absolute_time").asLong();
                assertThat(t.isBefore(prevTime) || (t.equals(prevTime) && abs < prevAbs)).as("newest first").isTrue();
                prevTime = t;
                prevAbs = abs;
                all.add(l.get("uuid").asText());
            }
            assertThat(text(page.get("last"))).isEqualTo(lastUrl);
            if (page.get("next").isNull()) {
                break;
            }
            url = text(page.get("next"));
            page = get(url);
            assertThat(text(page.get("previous"))).isNotNull();
        }
        assertThat(url).isEqualTo(lastUrl);
        assertThat(pages).isEqualTo(5);
        assertThat(all).doesNotHaveDuplicates().hasSize(get(url("count", "date_range_start=" + START)).get("count").asInt());
        assertThat(previousOfPage0).contains("cursor=");
    }

    @Test
    void previousFromLastWalksTheSnapshotOldestFirstThenIntoTheTail() throws Exception {
        JsonNode first = get(url("paginated", "date_range_start=" + START + "&page_size=700"));
        String tailUrl = text(first.get("previous"));
        List<String> newestFirst = new ArrayList<>();
        for (JsonNode p = first; ; p = get(text(p.get("next")))) {
            newestFirst.addAll(uuids(p));
            if (p.get("next").isNull()) {
                break;
            }
        }
        List<String> ascending = new ArrayList<>();
        String url = text(first.get("last"));
        List<String> visited = new ArrayList<>();
        while (!url.equals(tailUrl)) {
            visited.add(url);
            JsonNode p = get(url);
            List<String> ids = uuids(p);
            Collections.reverse(ids);
            ascending.addAll(ids);
            url = text(p.get("previous"));
        }
        Collections.reverse(newestFirst);
        assertThat(ascending).isEqualTo(newestFirst);
        assertThat(visited).hasSize(4);
        JsonNode tail = get(tailUrl);
        assertThat(tail.get("data")).isEmpty();
        assertThat(tail.get("previous").isNull()).isTrue();
        assertThat(tail.get("next").isNull()).isTrue();
        assertThat(tail.get("last").isNull()).isTrue();
    }

    @Test
    void withPagingLinksFirstOnlyTheFixingAnswerCarriesPrevious() throws Exception {
        emu.close();
        emu = BugfenderEmulator.builder().seed(7).apps(1).days(1).end(END).logsPerDay(2_345)
                .pagingLinks(io.fendersec.emulator.store.PagingLinks.FIRST)
                .clientSecret("cs-1", "s3cret", List.of()).start();
        h = new EmulatorHttp(emu);
        token = h.secretToken("cs-1", "s3cret");
        app = emu.apps().get(0).id();

        JsonNode first = get(url("paginated", "date_range_start=" + START + "&page_size=500"));
        assertThat(text(first.get("previous"))).as("the tail, on the answer that fixed the snapshot").isNotNull();
        List<String> all = new ArrayList<>(uuids(first));
        String next = text(first.get("next"));
        int pages = 1;
        while (next != null) {
            JsonNode page = get(next);
            assertThat(page.get("previous").isNull()).as("page %d fetched by cursor", pages).isTrue();
            all.addAll(uuids(page));
            next = text(page.get("next"));
            pages++;
        }
        assertThat(pages).isGreaterThan(2);
        assertThat(get(text(first.get("last"))).get("previous").isNull()).isTrue();
        assertThat(all).doesNotHaveDuplicates().hasSize(emu.dataset().logs(app).size());
        // the tail is still served as in the other reading
        JsonNode tail = get(text(first.get("previous")));
        assertThat(tail.get("data")).isEmpty();
    }

    @Test
    void cursorUrlsAreStableAndByteIdentical() throws Exception {
        String q = "date_range_start=" + START + "&page_size=300&level=4,2&text=" + URLEncoder.encode("Screen shown", StandardCharsets.UTF_8);
        JsonNode a = get(url("paginated", q));
        // The same filters in another order and spelling give the same links.
        JsonNode b = get(url("paginated", "text=Screen%20shown&page_size=300&level=2,4&date_range_start=2026-11-27T01:00:00%2B01:00"));
        assertThat(a.get("next")).isEqualTo(b.get("next"));
        assertThat(a.get("last")).isEqualTo(b.get("last"));
        String next = text(a.get("next"));
        assertThat(next).startsWith(emu.baseUrl() + "/api/app/" + app + "/logs/paginated?date_range_start=2026-11-27T00%3A00%3A00Z&page_size=300&text=Screen%20shown&level=2%2C4&cursor=");
        HttpResponse<String> once = h.get(next, token);
        HttpResponse<String> twice = h.get(next, token);
        assertThat(twice.body()).isEqualTo(once.body());
        emu.append(app, List.of(newLog("2026-11-27T12:00:00.000Z", "Screen shown: late")));
        assertThat(h.get(next, token).body()).isEqualTo(once.body());
    }

    @Test
    void aLogArrivingAfterTheSnapshotIsInTheTailExactlyOnceAndNeverInTheSnapshot() throws Exception {
        JsonNode first = get(url("paginated", "date_range_start=" + START + "&page_size=1000"));
        String tailUrl = text(first.get("previous"));
        // A late upload: device time inside the range, in the middle of the snapshot's pages.
        LogRecord late = newLog("2026-11-27T06:00:00.000Z", "late upload");
        emu.append(app, List.of(late));

        List<String> snapshot = new ArrayList<>();
        for (JsonNode p = first; ; p = get(text(p.get("next")))) {
            snapshot.addAll(uuids(p));
            if (p.get("next").isNull()) {
                break;
            }
        }
        assertThat(snapshot).doesNotContain(late.uuid());

        JsonNode tail = get(tailUrl);
        assertThat(uuids(tail)).containsExactly(late.uuid());
        assertThat(get(tailUrl).get("data")).hasSize(1);
        String after = text(tail.get("previous"));
        JsonNode empty = get(after);
        assertThat(empty.get("data")).isEmpty();
        assertThat(empty.get("previous").isNull()).isTrue();

        LogRecord later = newLog("2026-11-27T23:00:00.000Z", "another");
        emu.append(app, List.of(later));
        assertThat(uuids(get(after))).containsExactly(later.uuid());
        assertThat(uuids(get(tailUrl))).containsExactly(late.uuid(), later.uuid());

        // A new read takes a new snapshot that includes both.
        JsonNode fresh = get(url("count", "date_range_start=" + START));
        assertThat(fresh.get("count").asInt()).isEqualTo(snapshot.size() + 2);
    }

    @Test
    void tailRespectsRangeAndFilters() throws Exception {
        JsonNode first = get(url("paginated", "date_range_start=" + START + "&date_range_end=2026-11-27T12:00:00Z&text=wanted&page_size=10"));
        emu.append(app, List.of(newLog("2026-11-27T13:00:00.000Z", "wanted but after end"),
                newLog("2026-11-26T13:00:00.000Z", "wanted but before start"),
                newLog("2026-11-27T11:00:00.000Z", "unrelated"),
                newLog("2026-11-27T11:00:00.000Z", "wanted")));
        JsonNode tail = get(text(first.get("previous")));
        assertThat(tail.get("data")).hasSize(1);
        assertThat(tail.get("data").get(0).get("text").asText()).isEqualTo("wanted");
    }

    @Test
    void emptySnapshotHasNoLastButATail() throws Exception {
        JsonNode p = get(url("paginated", "date_range_start=2020-01-01T00:00:00Z&date_range_end=2020-01-02T00:00:00Z"));
        assertThat(p.get("data")).isEmpty();
        assertThat(p.get("next").isNull()).isTrue();
        assertThat(p.get("last").isNull()).isTrue();
        assertThat(text(p.get("previous"))).contains("cursor=");
        assertThat(p.get("query_id").asText()).isNotEmpty();
    }

    @Test
    void singlePageSnapshotHasLastPointingAtItself() throws Exception {
        JsonNode p = get(url("paginated", "date_range_start=" + START + "&page_size=10000"));
        assertThat(p.get("next").isNull()).isTrue();
        JsonNode last = get(text(p.get("last")));
        assertThat(uuids(last)).isEqualTo(uuids(p));
        assertThat(last.get("previous")).isEqualTo(p.get("previous"));
    }

    @Test
    void filtersSelectTextDeviceAndLevel() throws Exception {
        JsonNode errors = get(url("paginated", "date_range_start=" + START + "&page_size=10000&level=2"));
        assertThat(errors.get("data")).isNotEmpty();
        errors.get("data").forEach(l -> assertThat(l.get("log_level").asInt()).isEqualTo(2));

        JsonNode logins = get(url("paginated", "date_range_start=" + START + "&page_size=10000&text=Login%20succeeded"));
        assertThat(logins.get("data")).isNotEmpty();
        logins.get("data").forEach(l -> assertThat(l.get("text").asText()).contains("Login succeeded"));

        String udid = logins.get("data").get(0).get("device.udid").asText();
        JsonNode device = get(url("paginated", "date_range_start=" + START + "&page_size=10000&device_udid=" + udid));
        assertThat(device.get("data")).isNotEmpty();
        device.get("data").forEach(l -> assertThat(l.get("device.udid").asText()).isEqualTo(udid));
        assertThat(get(url("count", "date_range_start=" + START + "&device_udid=" + udid)).get("count").asInt())
                .isEqualTo(device.get("data").size());
    }

    @Test
    void downloadIsTheSnapshotAscendingAsNdjson() throws Exception {
        HttpResponse<String> r = h.get(url("download", "date_range_start=" + START + "&format=ndjson"), token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        String[] lines = r.body().split("\n");
        List<String> downloaded = new ArrayList<>();
        for (String line : lines) {
            downloaded.add(EmulatorHttp.JSON.readTree(line).get("uuid").asText());
        }
        JsonNode all = get(url("paginated", "date_range_start=" + START + "&page_size=10000"));
        List<String> paged = uuids(all);
        Collections.reverse(paged);
        assertThat(downloaded).isEqualTo(paged);
        assertThat(get(url("count", "date_range_start=" + START)).get("count").asInt()).isEqualTo(lines.length).isEqualTo(2345);
    }

    @Test
    void recordsCarryTheApisFieldNames() throws Exception {
        JsonNode l = get(url("paginated", "date_range_start=" + START + "&page_size=1")).get("data").get(0);
        assertThat(l.has("device.udid")).isTrue();
        assertThat(l.has("version.version")).isTrue();
        assertThat(l.get("app").isTextual()).isTrue();
        assertThat(l.get("app").asText()).isEqualTo(app);
        assertThat(l.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    private void assertBadParameter(String query, String parameter) throws Exception {
        HttpResponse<String> r = h.get(url("paginated", query), token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = EmulatorHttp.json(r);
        assertThat(body.get("error").asText()).isEqualTo("invalid_request");
        assertThat(body.get("parameter").asText()).isEqualTo(parameter);
        assertThat(body.get("error_description").asText()).contains(parameter);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void malformedParametersAre400NamingTheParameter() throws Exception {
        assertBadParameter("page_size=10", "date_range_start");
        assertBadParameter("date_range_start=yesterday", "date_range_start");
        assertBadParameter("date_range_start=2026-11-27", "date_range_start");
        assertBadParameter("date_range_start=" + START + "&date_range_end=2026-13-01T00:00:00Z", "date_range_end");
        assertBadParameter("date_range_start=" + START + "&date_range_end=2026-11-26T00:00:00Z", "date_range_end");
        assertBadParameter("date_range_start=" + START + "&page_size=0", "page_size");
        assertBadParameter("date_range_start=" + START + "&page_size=10001", "page_size");
        assertBadParameter("date_range_start=" + START + "&page_size=ten", "page_size");
        assertBadParameter("date_range_start=" + START + "&level=9", "level");
        assertBadParameter("date_range_start=" + START + "&cursor=%21%21%21", "cursor");
        assertBadParameter("date_range_start=" + START + "&cursor=Z2FyYmFnZQ", "cursor");
        assertBadParameter("date_range_start=" + START + "&cursor=cy45OTk5OTkuMC4w", "cursor");
    }

    @Test
    void aCursorReplayedWithOtherParametersIsRefused() throws Exception {
        String next = text(get(url("paginated", "date_range_start=" + START + "&page_size=100")).get("next"));
        String cursor = next.substring(next.indexOf("cursor=") + 7);
        assertBadParameter("date_range_start=" + START + "&page_size=200&cursor=" + cursor, "cursor");
    }

    @Test
    void unknownAppIs404() throws Exception {
        HttpResponse<String> r = h.get(emu.baseUrl() + "/api/app/nope/logs/paginated?date_range_start=" + START, token);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(EmulatorHttp.json(r).get("error").asText()).isEqualTo("not_found");
        assertThat(h.get(emu.baseUrl() + "/api/app/nope", token).statusCode()).isEqualTo(404);
    }

    @Test
    void appsAndDevicesAreListed() throws Exception {
        JsonNode one = get(emu.baseUrl() + "/api/app/" + app);
        assertThat(one.get("id").asText()).isEqualTo(app);
        JsonNode devices = get(emu.baseUrl() + "/api/app/" + app + "/devices?page_size=5");
        assertThat(devices.get("data")).hasSize(5);
        assertThat(devices.get("next_cursor").asText()).isEqualTo("5");
        emu.addApp("new-app", "New App");
        assertThat(get(emu.baseUrl() + "/api/app/")).hasSize(2);
        assertThat(get(url("count", "date_range_start=" + START).replace(app, "new-app")).get("count").asInt()).isZero();
    }
}
