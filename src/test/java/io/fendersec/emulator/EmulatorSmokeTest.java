package io.fendersec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class EmulatorSmokeTest {
    @Test
    void servesTokenAppsAndPages() throws Exception {
        try (BugfenderEmulator emu = BugfenderEmulator.builder().seed(1).apps(2).days(1)
                .end(Instant.parse("2026-11-28T00:00:00Z")).logsPerDay(2000)
                .clientSecret("cs-1", "s3cret", List.of()).start()) {
            EmulatorHttp h = new EmulatorHttp(emu);
            String t = h.secretToken("cs-1", "s3cret");
            JsonNode apps = h.getJson(emu.baseUrl() + "/api/app/", t);
            assertThat(apps).hasSize(2);
            String app = apps.get(0).get("id").asText();
            JsonNode page = h.getJson(emu.baseUrl() + "/api/app/" + app
                    + "/logs/paginated?date_range_start=2026-11-27T00:00:00Z&page_size=300", t);
            System.out.println(page.get("data").get(0).toPrettyString());
            System.out.println(page.get("next") + "\n" + page.get("previous") + "\n" + page.get("last"));
            assertThat(page.get("data")).hasSize(300);
        }
    }
}
