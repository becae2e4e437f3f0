package io.fendersec.emulator;

import static io.fendersec.emulator.EmulatorHttp.assertionForm;
import static io.fendersec.emulator.EmulatorHttp.claims;
import static io.fendersec.emulator.EmulatorHttp.form;
import static io.fendersec.emulator.EmulatorHttp.json;
import static io.fendersec.emulator.EmulatorHttp.sign;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/** Every rule of the token endpoint, each refused on its own. */
class EmulatorAuthTest {
    static final KeyPair KEY = EmulatorKeys.generate();
    static final KeyPair OTHER_KEY = EmulatorKeys.generate();
    static BugfenderEmulator emu;
    static EmulatorHttp h;

    @BeforeAll
    static void start() throws Exception {
        emu = BugfenderEmulator.builder().apps(1).days(1).logsPerDay(100).end(Instant.parse("2026-11-28T00:00:00Z"))
                .serviceAccount("sa-1", KEY.getPublic(), List.of())
                .serviceAccount("sa-local2", KEY.getPublic(), List.of("127.0.0.2/32"))
                .clientSecret("cs-1", "s3cret", List.of())
                .clientSecret("cs-local2", "s3cret", List.of("127.0.0.2/32"))
                .integration("int-1", "int-secret", List.of("http://localhost:9999/cb")).user("alice")
                .start();
        h = new EmulatorHttp(emu);
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static Map<String, Object> good() {
        return claims("sa-1", emu.tokenUrl());
    }

    private static HttpResponse<String> assertWith(Map<String, Object> claims) throws Exception {
        return h.token(assertionForm("sa-1", sign(KEY, claims)));
    }

    private static void assertRefused(HttpResponse<String> r, int status, String error, String descriptionPart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).contains(descriptionPart);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertToken(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.get("access_token").asText()).matches("[0-9a-f-]{36}");
    }

    // ---- client secret ------------------------------------------------------------------

    @Test
    void clientSecretGrantsAToken() throws Exception {
        assertToken(h.token(form("grant_type", "client_credentials", "client_id", "cs-1", "client_secret", "s3cret")));
    }

    @Test
    void clientSecretInHttpBasicGrantsAToken() throws Exception {
        String basic = Base64.getEncoder().encodeToString("cs-1:s3cret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = h.http.send(java.net.http.HttpRequest.newBuilder(URI.create(emu.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertToken(r);
    }

    @Test
    void wrongClientSecretIsInvalidClient() throws Exception {
        assertRefused(h.token(form("grant_type", "client_credentials", "client_id", "cs-1", "client_secret", "nope")),
                401, "invalid_client", "authentication failed");
    }

    @Test
    void unknownClientIsInvalidClient() throws Exception {
        assertRefused(h.token(form("grant_type", "client_credentials", "client_id", "who", "client_secret", "x")),
                401, "invalid_client", "unknown client");
    }

    @Test
    void missingGrantTypeIsInvalidRequest() throws Exception {
        assertRefused(h.token(form("client_id", "cs-1", "client_secret", "s3cret")), 400, "invalid_request", "grant_type");
    }

    @Test
    void unknownGrantTypeIsUnsupported() throws Exception {
        assertRefused(h.token(form("grant_type", "password", "client_id", "cs-1")), 400, "unsupported_grant_type", "password");
    }

    @Test
    void tokenEndpointWantsAForm() throws Exception {
        HttpResponse<String> r = h.http.send(java.net.http.HttpRequest.newBuilder(URI.create(emu.tokenUrl()))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(r, 400, "invalid_request", "Content-Type");
    }

    // ---- JWT client assertion ------------------------------------------------------------

    @Test
    void validAssertionGrantsAToken() throws Exception {
        assertToken(assertWith(good()));
    }

    @Test
    void audienceAsOneElementArrayIsAccepted() throws Exception {
        Map<String, Object> c = good();
        c.put("aud", List.of(emu.tokenUrl()));
        assertToken(assertWith(c));
    }

    @Test
    void audienceArrayWithAnotherEntryIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.put("aud", List.of(emu.tokenUrl(), "https://elsewhere.example/auth/token"));
        assertRefused(assertWith(c), 401, "invalid_client", "aud must be");
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.put("aud", "https://dashboard.bugfender.com/auth/token");
        assertRefused(assertWith(c), 401, "invalid_client", "aud must be " + emu.tokenUrl());
    }

    @Test
    void hs256IsRefused() throws Exception {
        String jwt = Jwts.builder().claims(good())
                .signWith(Keys.hmacShaKeyFor(new byte[32]), Jwts.SIG.HS256).compact();
        assertRefused(h.token(assertionForm("sa-1", jwt)), 401, "invalid_client", "RS256, not HS256");
    }

    @Test
    void rs512IsRefused() throws Exception {
        String jwt = Jwts.builder().claims(good()).signWith(KEY.getPrivate(), Jwts.SIG.RS512).compact();
        assertRefused(h.token(assertionForm("sa-1", jwt)), 401, "invalid_client", "RS256, not RS512");
    }

    @Test
    void unsignedAlgNoneIsRefused() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(EmulatorHttp.JSON.writeValueAsBytes(good()));
        assertRefused(h.token(assertionForm("sa-1", header + "." + payload + ".")), 401, "invalid_client", "RS256, not none");
    }

    @Test
    void assertionSignedWithAnotherKeyIsRefused() throws Exception {
        assertRefused(h.token(assertionForm("sa-1", sign(OTHER_KEY, good()))), 401, "invalid_client", "signature");
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.put("iss", "someone-else");
        assertRefused(assertWith(c), 401, "invalid_client", "iss must be");
    }

    @Test
    void wrongSubjectIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.put("sub", "someone-else");
        assertRefused(assertWith(c), 401, "invalid_client", "sub must be");
    }

    @Test
    void missingExpIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.remove("exp");
        assertRefused(assertWith(c), 401, "invalid_client", "no exp");
    }

    @Test
    void pastExpIsRefused() throws Exception {
        Map<String, Object> c = good();
        long now = Instant.now().getEpochSecond();
        c.put("iat", now - 100);
        c.put("exp", now - 5);
        assertRefused(assertWith(c), 401, "invalid_client", "expired");
    }

    @Test
    void lifetimeOver120sIsRefused() throws Exception {
        Map<String, Object> c = good();
        long now = Instant.now().getEpochSecond();
        c.put("iat", now - 60);
        c.put("exp", now + 61);
        assertRefused(assertWith(c), 401, "invalid_client", "exp - iat exceeds 120 s");
    }

    @Test
    void expMoreThan120sAheadIsRefused() throws Exception {
        Map<String, Object> c = good();
        long now = Instant.now().getEpochSecond();
        c.put("iat", now + 25);
        c.put("exp", now + 140);
        assertRefused(assertWith(c), 401, "invalid_client", "more than 120 s from now");
    }

    @Test
    void missingIatIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.remove("iat");
        assertRefused(assertWith(c), 401, "invalid_client", "no iat");
    }

    @Test
    void iatInTheFutureIsRefused() throws Exception {
        Map<String, Object> c = good();
        long now = Instant.now().getEpochSecond();
        c.put("iat", now + 60);
        c.put("exp", now + 90);
        assertRefused(assertWith(c), 401, "invalid_client", "iat is more than 30 s in the future");
    }

    @Test
    void nbfInTheFutureIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.put("nbf", Instant.now().getEpochSecond() + 50);
        assertRefused(assertWith(c), 401, "invalid_client", "nbf");
    }

    @Test
    void nbfInThePastIsAccepted() throws Exception {
        Map<String, Object> c = good();
        c.put("nbf", Instant.now().getEpochSecond() - 5);
        assertToken(assertWith(c));
    }

    @Test
    void missingJtiIsRefused() throws Exception {
        Map<String, Object> c = good();
        c.remove("jti");
        assertRefused(assertWith(c), 401, "invalid_client", "no jti");
    }

    @Test
    void replayedJtiIsRefused() throws Exception {
        String jwt = sign(KEY, good());
        assertToken(h.token(assertionForm("sa-1", jwt)));
        assertRefused(h.token(assertionForm("sa-1", jwt)), 401, "invalid_client", "already used");
    }

    @Test
    void wrongAssertionTypeIsRefused() throws Exception {
        Map<String, String> f = assertionForm("sa-1", sign(KEY, good()));
        f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer");
        assertRefused(h.token(f), 400, "invalid_request", "client_assertion_type must be");
    }

    @Test
    void missingAssertionTypeIsRefused() throws Exception {
        Map<String, String> f = assertionForm("sa-1", sign(KEY, good()));
        f.remove("client_assertion_type");
        assertRefused(h.token(f), 400, "invalid_request", "client_assertion_type is required");
    }

    @Test
    void clientIdNotMatchingTheIssuerIsRefused() throws Exception {
        assertRefused(h.token(assertionForm("sa-local2", sign(KEY, good()))), 401, "invalid_client", "iss must be");
    }

    // ---- address allowlist ---------------------------------------------------------------

    private static String secretForm(String id) {
        return "grant_type=client_credentials&client_id=" + id + "&client_secret=s3cret";
    }

    @Test
    void allowlistedAddressGetsAToken() throws Exception {
        RawHttp r = RawHttp.postForm("127.0.0.2", emu.port(), "/auth/token", secretForm("cs-local2"), "");
        assertThat(r.status).as(r.body).isEqualTo(200);
    }

    @Test
    void otherAddressIsRefusedAtTheTokenEndpointNamingTheAddress() throws Exception {
        RawHttp r = RawHttp.postForm("127.0.0.1", emu.port(), "/auth/token", secretForm("cs-local2"), "");
        assertThat(r.status).isEqualTo(401);
        assertThat(r.body).isEqualTo(
                "{\"error\":\"unauthorized_client\",\"error_description\":\"address 127.0.0.1 is not on this client's allowlist\"}");
    }

    @Test
    void forwardedForHeaderIsIgnored() throws Exception {
        RawHttp r = RawHttp.postForm("127.0.0.1", emu.port(), "/auth/token", secretForm("cs-local2"),
                "X-Forwarded-For: 127.0.0.2\r\nForwarded: for=127.0.0.2\r\nX-Real-IP: 127.0.0.2\r\n");
        assertThat(r.status).isEqualTo(401);
        assertThat(r.body).contains("address 127.0.0.1 is not");
    }

    @Test
    void jwtServiceAccountAllowlistIsEnforced() throws Exception {
        String jwt = sign(KEY, claims("sa-local2", emu.tokenUrl()));
        String f = "grant_type=client_credentials&client_id=sa-local2&client_assertion_type="
                + URLEncoder.encode(EmulatorHttp.ASSERTION_TYPE, StandardCharsets.UTF_8) + "&client_assertion=" + jwt;
        RawHttp refused = RawHttp.postForm("127.0.0.1", emu.port(), "/auth/token", f, "");
        assertThat(refused.status).isEqualTo(401);
        assertThat(refused.body).contains("unauthorized_client");
        String jwt2 = sign(KEY, claims("sa-local2", emu.tokenUrl()));
        RawHttp ok = RawHttp.postForm("127.0.0.2", emu.port(), "/auth/token", f.replace(jwt, jwt2), "");
        assertThat(ok.status).as(ok.body).isEqualTo(200);
    }

    @Test
    void apiRefusesATokenUsedFromAnotherAddressWith403() throws Exception {
        RawHttp t = RawHttp.postForm("127.0.0.2", emu.port(), "/auth/token", secretForm("cs-local2"), "");
        String token = EmulatorHttp.JSON.readTree(t.body).get("access_token").asText();
        RawHttp fromAllowed = RawHttp.send("127.0.0.2", emu.port(), "GET", "/api/app/", "Authorization: Bearer " + token + "\r\n", null);
        assertThat(fromAllowed.status).isEqualTo(200);
        HttpResponse<String> fromOther = h.get(emu.baseUrl() + "/api/app/", token);
        assertThat(fromOther.statusCode()).isEqualTo(403);
        assertThat(fromOther.body()).isEqualTo(
                "{\"error\":\"unauthorized_client\",\"error_description\":\"address 127.0.0.1 is not on this client's allowlist\"}");
    }

    // ---- API tokens ----------------------------------------------------------------------

    @Test
    void apiWithoutTokenIs401() throws Exception {
        HttpResponse<String> r = h.get(emu.baseUrl() + "/api/app/", null);
        assertRefused(r, 401, "invalid_token", "Bearer");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void apiWithUnknownTokenIs401() throws Exception {
        assertRefused(h.get(emu.baseUrl() + "/api/app/", "00000000-0000-0000-0000-000000000000"), 401, "invalid_token", "unknown or expired");
    }

    // ---- authorization code and refresh --------------------------------------------------

    private static String authorize(String redirect) throws Exception {
        HttpResponse<String> r = h.get(emu.baseUrl() + "/auth/authorize?response_type=code&client_id=int-1&state=xyz&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(redirect + "?code=").endsWith("&state=xyz");
        return location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));
    }

    private static HttpResponse<String> exchange(String code, String redirect) throws Exception {
        return h.token(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect,
                "client_id", "int-1", "client_secret", "int-secret"));
    }

    private static HttpResponse<String> refresh(String refreshToken) throws Exception {
        return h.token(form("grant_type", "refresh_token", "refresh_token", refreshToken, "redirect_uri", "http://localhost/cb",
                "client_id", "int-1", "client_secret", "int-secret"));
    }

    @Test
    void authorizationCodeIsExchangedOnceAndRefreshTokensRotate() throws Exception {
        String redirect = "http://localhost:9999/cb";
        String code = authorize(redirect);
        HttpResponse<String> first = exchange(code, redirect);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode t1 = json(first);
        assertThat(h.get(emu.baseUrl() + "/api/app/", t1.get("access_token").asText()).statusCode()).isEqualTo(200);
        assertRefused(exchange(code, redirect), 400, "invalid_grant", "already used");

        String r1 = t1.get("refresh_token").asText();
        HttpResponse<String> second = refresh(r1);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        String r2 = json(second).get("refresh_token").asText();
        assertThat(r2).isNotEqualTo(r1);
        assertRefused(refresh(r1), 400, "invalid_grant", "replaced");
        assertThat(refresh(r2).statusCode()).isEqualTo(200);
    }

    @Test
    void codeForAnotherRedirectUriIsRefused() throws Exception {
        String code = authorize("http://localhost:9999/cb");
        assertRefused(exchange(code, "http://evil.example/cb"), 400, "invalid_grant", "redirect_uri");
    }

    @Test
    void codeExchangeWithWrongSecretIsInvalidClient() throws Exception {
        String code = authorize("http://localhost:9999/cb");
        assertRefused(h.token(form("grant_type", "authorization_code", "code", code, "redirect_uri", "http://localhost:9999/cb",
                "client_id", "int-1", "client_secret", "wrong")), 401, "invalid_client", "authentication failed");
    }

    @Test
    void outOfBandPageShowsTheCode() throws Exception {
        HttpResponse<String> r = h.get(emu.baseUrl() + "/auth/authorize?response_type=code&client_id=int-1&redirect_uri="
                + URLEncoder.encode("urn:ietf:wg:oauth:2.0:oob", StandardCharsets.UTF_8), null);
        assertThat(r.statusCode()).isEqualTo(200);
        String code = r.body().replaceAll("(?s).*<code id=\"code\">([^<]+)</code>.*", "$1");
        assertThat(exchange(code, "urn:ietf:wg:oauth:2.0:oob").statusCode()).isEqualTo(200);
    }

    @Test
    void integrationCannotUseClientCredentials() throws Exception {
        assertRefused(h.token(form("grant_type", "client_credentials", "client_id", "int-1", "client_secret", "int-secret")),
                400, "unauthorized_client", "authorization_code");
    }
}
