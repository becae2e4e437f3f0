package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** With a live rate, logs keep arriving and the tail follows them. */
class EmulatorLiveTrafficTest {
    @Test
    void liveLogsReachTheTailAndNeverRepeat() throws Exception {
        // The emulator's clock stands still: live logs are dated by it, so none may lie after it. (On the
        // wall clock this could only be checked with a tolerance, which a slightly future log passes.)
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        try (BugfenderEmulator emu = BugfenderEmulator.builder().apps(1).days(1).logsPerDay(100).liveRate(500)
                .end(Instant.parse("2026-11-28T00:00:00Z")).clock(new MutableClock(now))
                .clientSecret("cs-1", "s3cret", List.of()).start()) {
            EmulatorHttp h = new EmulatorHttp(emu);
            String token = h.secretToken("cs-1", "s3cret");
            String first = emu.baseUrl() + "/api/app/" + emu.apps().get(0).id()
                    + "/logs/paginated?date_range_start=2000-01-01T00:00:00Z&page_size=50";
            String tail = h.getJson(first, token).get("previous").asText();
            Set<String> seen = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Poll the tail as a client would, until enough live logs arrived (or the deadline fails the test).
            while (seen.size() < 200 && System.nanoTime() < deadline) {
                JsonNode page = h.getJson(tail, token);
                for (JsonNode l : page.get("data")) {
                    assertThat(seen.add(l.get("uuid").asText())).as("each live log once").isTrue();
                    assertThat(Instant.parse(l.get("time").asText())).as("dated by the emulator's clock").isBeforeOrEqualTo(now);
                }
                if (!page.get("previous").isNull()) {
                    tail = page.get("previous").asText();
                } else {
                    Thread.sleep(50); // the poll interval of an empty tail, not a synchronization
                }
            }
            assertThat(seen).hasSizeGreaterThanOrEqualTo(200);
        }
    }
}
