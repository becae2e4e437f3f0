package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.model.LogRecord;

/** The generated data: reproducible, unique where the API says so, and late where devices are. */
class EmulatorGeneratorTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");

    private static String download(long seed) throws Exception {
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(seed).apps(2).days(2).end(END).logsPerDay(3000)
                .clientSecret("cs-1", "s3cret", List.of()).start()) {
            EmulatorHttp h = new EmulatorHttp(emu);
            String token = h.secretToken("cs-1", "s3cret");
            StringBuilder all = new StringBuilder();
            for (EmulatorApp app : emu.apps()) {
                HttpResponse<String> r = h.get(emu.baseUrl() + "/api/app/" + app.id()
                        + "/logs/download?date_range_start=2026-11-26T00:00:00Z", token);
                all.append(app.id()).append(' ').append(app.name()).append('\n').append(r.body());
            }
            return all.toString();
        }
    }

    @Test
    void theSameSeedAndEndGiveTheSameDataByteForByte() throws Exception {
        String a = download(42);
        String b = download(42);
        assertThat(a).isEqualTo(b);
        assertThat(a.lines().count()).isEqualTo(2 + 6000);
        assertThat(download(43)).isNotEqualTo(a);
    }

    private static final Dataset DATASET =
            new DatasetGenerator(5, 3, 2, END, 15_000, ArrivalDelays.defaults(), Scenarios.byName("none").orElseThrow()).generate();

    private static Dataset dataset() {
        return DATASET;
    }

    @Test
    void logsAreUniqueAndInsideTheRange() {
        Dataset d = dataset();
        Set<String> uuids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        int total = 0;
        for (var app : d.apps()) {
            for (GeneratedLog l : d.logs(app.id())) {
                LogRecord r = l.record();
                total++;
                assertThat(uuids.add(r.uuid())).isTrue();
                assertThat(keys.add(r.app() + "|" + r.deviceUdid() + "|" + r.time() + "|" + r.absoluteTime())).isTrue();
                assertThat(r.time()).isAfterOrEqualTo(END.minus(Duration.ofDays(2))).isBefore(END);
                assertThat(l.arrival()).isAfterOrEqualTo(r.time());
            }
        }
        assertThat(total).isEqualTo(30_000);
    }

    @Test
    void trafficIsVariedAndSomeDevicesUploadHoursLate() {
        Dataset d = dataset();
        List<GeneratedLog> logs = d.logs(d.apps().get(0).id());
        long hoursLate = logs.stream().filter(l -> Duration.between(l.record().time(), l.arrival()).toHours() >= 1).count();
        assertThat(hoursLate).isGreaterThan(logs.size() / 100);
        Set<String> versions = new HashSet<>();
        Set<Integer> levels = new HashSet<>();
        Set<String> languages = new HashSet<>();
        boolean typo = false;
        boolean network = false;
        boolean keyValue = false;
        for (GeneratedLog l : logs) {
            LogRecord r = l.record();
            versions.add(r.getString("version.version"));
            levels.add(r.logLevel());
            languages.add(r.getString("language"));
            typo |= r.text().startsWith("Login failed");
            network |= r.has("url") && r.text().contains(" -> ");
            keyValue |= r.has("key_value_key");
        }
        assertThat(versions).hasSizeGreaterThan(2);
        assertThat(levels).contains(0, 1, 2, 3, 4);
        assertThat(languages).hasSizeGreaterThan(3);
        assertThat(typo).isTrue();
        assertThat(network).isTrue();
        assertThat(keyValue).isTrue();
    }
}
