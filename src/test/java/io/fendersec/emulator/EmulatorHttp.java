package io.fendersec.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsonwebtoken.Jwts;

/** Test-side HTTP access to an emulator: plain JDK HttpClient and Jackson, nothing from the client code. */
final class EmulatorHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final BugfenderEmulator emu;

    EmulatorHttp(BugfenderEmulator emu) {
        this.emu = emu;
    }

    HttpResponse<String> postForm(String url, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> token(Map<String, String> form) throws IOException, InterruptedException {
        return postForm(emu.tokenUrl(), form);
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    String secretToken(String id, String secret) throws IOException, InterruptedException {
        HttpResponse<String> r = token(form("grant_type", "client_credentials", "client_id", id, "client_secret", secret));
        if (r.statusCode() != 200) {
            throw new AssertionError("token refused: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("access_token").asText();
    }

    HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String url, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = get(url, token);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The claims of a well-formed assertion for {@code clientId}, to be spoiled by a test. */
    static Map<String, Object> claims(String clientId, String aud) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", clientId);
        c.put("sub", clientId);
        c.put("aud", aud);
        c.put("iat", now);
        c.put("exp", now + 60);
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    static String sign(KeyPair key, Map<String, Object> claims) {
        return Jwts.builder().header().add("typ", "JWT").and().claims(claims)
                .signWith(key.getPrivate(), Jwts.SIG.RS256).compact();
    }

    static Map<String, String> assertionForm(String clientId, String jwt) {
        return form("grant_type", "client_credentials", "client_id", clientId,
                "client_assertion_type", ASSERTION_TYPE, "client_assertion", jwt);
    }
}
