package io.fendersec.emulator;

import static io.fendersec.emulator.EmulatorHttp.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Expiry of access tokens and authorization codes, on a clock the test moves. */
class EmulatorTokenExpiryTest {
    @Test
    void accessTokenExpiresAfterItsTtl() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (BugfenderEmulator emu = BugfenderEmulator.builder().apps(1).days(1).logsPerDay(10).clock(clock)
                .tokenTtl(Duration.ofSeconds(30)).clientSecret("cs-1", "s3cret", List.of()).start()) {
            EmulatorHttp h = new EmulatorHttp(emu);
            HttpResponse<String> t = h.token(form("grant_type", "client_credentials", "client_id", "cs-1", "client_secret", "s3cret"));
            assertThat(EmulatorHttp.json(t).get("expires_in").asLong()).isEqualTo(30);
            String token = EmulatorHttp.json(t).get("access_token").asText();
            clock.advance(Duration.ofSeconds(29));
            assertThat(h.get(emu.baseUrl() + "/api/app/", token).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> expired = h.get(emu.baseUrl() + "/api/app/", token);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.body()).contains("invalid_token");
        }
    }

    @Test
    void authorizationCodeExpires() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (BugfenderEmulator emu = BugfenderEmulator.builder().apps(1).days(1).logsPerDay(10).clock(clock)
                .integration("int-1", "int-secret").user("alice").start()) {
            EmulatorHttp h = new EmulatorHttp(emu);
            HttpResponse<String> r = h.get(emu.baseUrl() + "/auth/authorize?response_type=code&client_id=int-1&redirect_uri="
                    + URLEncoder.encode("urn:ietf:wg:oauth:2.0:oob", StandardCharsets.UTF_8), null);
            String code = r.body().replaceAll("(?s).*<code id=\"code\">([^<]+)</code>.*", "$1");
            clock.advance(Duration.ofSeconds(61));
            HttpResponse<String> late = h.token(form("grant_type", "authorization_code", "code", code,
                    "redirect_uri", "urn:ietf:wg:oauth:2.0:oob", "client_id", "int-1", "client_secret", "int-secret"));
            assertThat(late.statusCode()).isEqualTo(400);
            assertThat(late.body()).contains("invalid_grant");
        }
    }
}
