package io.fendersec.emulator;

import static io.fendersec.emulator.EmulatorHttp.form;
import static io.fendersec.emulator.EmulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator behaves like a strict authorization server: tests trust it, so it must refuse what a real one refuses. */
class EmulatorStrictAuthTest {
    static final String REGISTERED = "http://localhost:9999/cb";
    static BugfenderEmulator emu;
    static EmulatorHttp h;

    @BeforeAll
    static void start() throws Exception {
        emu = BugfenderEmulator.builder().apps(1).days(1).logsPerDay(100).end(Instant.parse("2026-11-28T00:00:00Z"))
                .clientSecret("cs-1", "s3cret", List.of())
                .clientSecret("cs-2", "other", List.of())
                .integration("int-1", "int-secret", List.of(REGISTERED))
                .integration("int-2", "int2-secret")
                .user("alice").start();
        h = new EmulatorHttp(emu);
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    static HttpResponse<String> authorize(String client, String redirect) throws Exception {
        return h.get(emu.baseUrl() + "/auth/authorize?response_type=code&client_id=" + client + "&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8), null);
    }

    static String code(String client, String redirect) throws Exception {
        HttpResponse<String> r = authorize(client, redirect);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.substring(location.indexOf("code=") + 5);
    }

    static HttpResponse<String> exchange(String code, String client, String secret) throws Exception {
        return h.token(form("grant_type", "authorization_code", "code", code, "redirect_uri", REGISTERED,
                "client_id", client, "client_secret", secret));
    }

    static void assertRefused(HttpResponse<String> r, int status, String error, String part) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode b = json(r);
        assertThat(b.get("error").asText()).isEqualTo(error);
        assertThat(b.get("error_description").asText()).contains(part);
    }

    @Test
    void authorizeRedirectsOnlyToRegisteredUris() throws Exception {
        HttpResponse<String> evil = authorize("int-1", "https://evil.example/steal");
        assertRefused(evil, 400, "invalid_request", "redirect_uri is not registered");
        assertThat(evil.headers().firstValue("Location")).isEmpty();
        assertRefused(authorize("int-2", REGISTERED), 400, "invalid_request", "not registered");
        assertThat(authorize("int-1", REGISTERED).statusCode()).isEqualTo(302);
        assertThat(authorize("int-2", "urn:ietf:wg:oauth:2.0:oob").statusCode()).as("oob is always allowed").isEqualTo(200);
    }

    @Test
    void anotherClientPresentingACodeDoesNotBurnIt() throws Exception {
        String code = code("int-1", REGISTERED);
        assertRefused(exchange(code, "int-2", "int2-secret"), 400, "invalid_grant", "another client");
        HttpResponse<String> own = exchange(code, "int-1", "int-secret");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertRefused(exchange(code, "int-1", "int-secret"), 400, "invalid_grant", "already used");
    }

    static HttpResponse<String> basic(String basicUser, String formBody) throws Exception {
        String basic = Base64.getEncoder().encodeToString(basicUser.getBytes(StandardCharsets.UTF_8));
        return h.http.send(HttpRequest.newBuilder(URI.create(emu.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpBasicAndAFormClientIdNamingAnotherClientIsRefused() throws Exception {
        assertRefused(basic("cs-1:s3cret", "grant_type=client_credentials&client_id=cs-2"), 400, "invalid_request",
                "does not match");
        assertRefused(basic("cs-1:s3cret", "grant_type=client_credentials&client_id=cs-1&client_secret=s3cret"), 400,
                "invalid_request", "one authentication method");
        assertThat(basic("cs-1:s3cret", "grant_type=client_credentials&client_id=cs-1").statusCode()).isEqualTo(200);
    }

    @Test
    void devicesCursorAtIntMaxDoesNotOverflow() throws Exception {
        String token = h.secretToken("cs-1", "s3cret");
        String app = emu.apps().get(0).id();
        JsonNode page = h.getJson(emu.baseUrl() + "/api/app/" + app + "/devices?page_size=100&next_cursor=2147483647", token);
        assertThat(page.get("data")).isEmpty();
        assertThat(page.get("next_cursor").isNull()).as(page.toString()).isTrue();
    }
}
