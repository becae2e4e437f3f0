package io.fendersec.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.auth.TokenResponse;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;
import io.fendersec.model.RawJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Test;

/** The client's pure parts: budget math, backoff, origin checks, parsing, redaction, settings. */
class ClientPiecesTest {

    @Test
    void rateBudgetAllowsOneSecondBurstThenSpacesRequests() {
        RateBudget b = new RateBudget(10, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(b.reserve(0)).isZero();
        }
        assertThat(b.reserve(0)).isEqualTo(100_000_000L); // 11th: a tenth of a second later
        assertThat(b.reserve(0)).isEqualTo(200_000_000L); // queued behind it
        assertThat(b.reserve(1_000_000_000L)).isZero(); // one second later the debt is repaid... and one more
    }

    @Test
    void rateBudgetIsSharedPerBaseUrlAndClient() {
        assertThat(RateBudget.shared("http://a", "c", 5)).isSameAs(RateBudget.shared("http://a", "c", 99));
        assertThat(RateBudget.shared("http://a", "c", 5)).isNotSameAs(RateBudget.shared("http://a", "d", 5));
        assertThat(RateBudget.shared("http://a", "c", 5)).isNotSameAs(RateBudget.shared("http://b", "c", 5));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(b.delayMillis(0, 0.0)).isEqualTo(50);
        assertThat(b.delayMillis(0, 0.999)).isBetween(50L, 100L);
        assertThat(b.delayMillis(1, 0.0)).isEqualTo(100);
        assertThat(b.delayMillis(3, 0.999)).isBetween(400L, 800L);
        assertThat(b.delayMillis(10, 0.999)).isBetween(500L, 1000L);
        assertThat(b.delayMillis(100, 0.5)).isBetween(500L, 1000L);
    }

    @Test
    void cursorsMustStayOnTheConfiguredOrigin() {
        ApiUrls urls = new ApiUrls(URI.create("http://127.0.0.1:8090"));
        assertThat(urls.cursor("http://127.0.0.1:8090/api/app/1/logs/paginated?cursor=x")).isNotNull();
        assertThat(urls.cursor("HTTP://127.0.0.1:8090/api/app/1/logs/paginated?cursor=x")).isNotNull();
        for (String bad : new String[] {
            "http://evil.example:8090/api/app/1/logs/paginated?cursor=x",
            "https://127.0.0.1:8090/api/app/1/logs/paginated?cursor=x",
            "http://127.0.0.1:8091/api/app/1/logs/paginated?cursor=x",
            "http://127.0.0.1:8090/auth/token",
            "http://user@127.0.0.1:8090/api/app/1/logs/paginated",
            "http://127.0.0.1:8090.evil.example/api/app/1"}) {
            assertThatThrownBy(() -> urls.cursor(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("source.url");
        }
        ApiUrls https = new ApiUrls(URI.create("https://dashboard.bugfender.com"));
        assertThat(https.cursor("https://dashboard.bugfender.com:443/api/app/x/logs/paginated")).isNotNull();
    }

    @Test
    void queryUrlsCarryRangeFiltersAndEncoding() {
        ApiUrls urls = new ApiUrls(URI.create("http://h:1"));
        LogQuery q = LogQuery.builder("a b/c", Instant.parse("2026-11-27T00:00:00Z"))
                .to(Instant.parse("2026-11-28T00:00:00Z")).pageSize(500).text("x&y").level(2).build();
        assertThat(urls.paginated(q).toString()).isEqualTo("http://h:1/api/app/a%20b%2Fc/logs/paginated"
                + "?date_range_start=2026-11-27T00%3A00%3A00Z&date_range_end=2026-11-28T00%3A00%3A00Z&text=x%26y&level=2&page_size=500");
        assertThat(urls.download(q).toString()).contains("/logs/download?").endsWith("format=ndjson");
    }

    @Test
    void pageParsingKeepsOrderTypesAndUnknownFields() throws Exception {
        String json = "{\"data\":[{\"uuid\":\"u1\",\"z_unknown\":1,\"app\":42,\"f\":1.5,\"b\":true,\"n\":null,"
                + "\"nested\":{\"a\":[1,2]},\"arr\":[\"x\"],\"big\":123456789012345678901234567890}],"
                + "\"next\":\"http://h/api/n\",\"previous\":null,\"last\":\"http://h/api/l\",\"query_id\":\"q\",\"extra\":{\"k\":1}}";
        LogPage p = LogJson.page("u", in(json));
        assertThat(p.next()).isEqualTo("http://h/api/n");
        assertThat(p.previous()).isNull();
        assertThat(p.last()).isEqualTo("http://h/api/l");
        LogRecord r = p.records().get(0);
        assertThat(r.fields().keySet()).containsExactly("uuid", "z_unknown", "app", "f", "b", "n", "nested", "arr", "big");
        assertThat(r.get("z_unknown")).isEqualTo(1L);
        assertThat(r.app()).isEqualTo("42");
        assertThat(r.get("f")).isEqualTo(1.5);
        assertThat(r.get("b")).isEqualTo(true);
        assertThat(r.has("n")).isTrue();
        assertThat(r.get("n")).isNull();
        assertThat(r.get("nested")).isEqualTo(new RawJson("{\"a\":[1,2]}"));
        assertThat(r.get("arr")).isEqualTo(new RawJson("[\"x\"]"));
        assertThat(r.get("big")).isEqualTo("123456789012345678901234567890");
    }

    @Test
    void malformedPagesAreJsonErrors() {
        for (String bad : new String[] {"{\"data\":[{\"uuid\":\"u1\"}", "<html>", "{\"next\":null}", "[]",
            "{\"data\":[]} trailing", "{\"data\":[],\"next\":5}"}) {
            assertThatThrownBy(() -> LogJson.page("u", in(bad))).as(bad).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void appsAndCountsAndTokens() throws Exception {
        assertThat(LogJson.apps(in("[{\"id\":5,\"name\":\"A\"},{\"id\":\"5X3c4veRGV\",\"name\":\"B\",\"x\":[1]}]")))
                .containsExactly(new App("5", "A"), new App("5X3c4veRGV", "B"));
        assertThat(LogJson.count(in("{\"count\":17}"))).isEqualTo(17);
        TokenResponse t = LogJson.token(in("{\"access_token\":\"AT-123\",\"token_type\":\"bearer\",\"expires_in\":3,"
                + "\"refresh_token\":\"RT-456\"}"));
        assertThat(t.accessToken()).isEqualTo("AT-123");
        assertThat(t.expiresIn()).isEqualTo(Duration.ofSeconds(3));
        assertThat(t.toString()).doesNotContain("AT-123").doesNotContain("RT-456");
    }

    @Test
    void errorAnswersNameTheSeenAddress() {
        ErrorAnswer a = LogJson.error(401, in("{\"error\":\"unauthorized_client\",\"error_description\":"
                + "\"address 203.0.113.9 is not on this client's allowlist\"}"));
        assertThat(a.seenAddress()).isEqualTo("203.0.113.9");
        ClientSettings s = settings();
        AccessRefusedException e = Refusals.allowlist(a, s);
        assertThat(e.getMessage()).contains("203.0.113.9", "source.network.bind-address", "source.network.proxy",
                "allowlist", "svc").doesNotContain("\n");
        ErrorAnswer v6 = LogJson.error(403, in("{\"error\":\"unauthorized_client\",\"error_description\":\"address ::1 is not allowed\"}"));
        assertThat(v6.seenAddress()).isEqualTo("::1");
        assertThat(LogJson.error(500, in("<html>")).summary()).isEqualTo("HTTP 500");
    }

    @Test
    void secretsNeverPrinted() {
        SecretRef lit = SecretRef.literal("hunter2");
        AuthSettings auth = AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId("c").clientSecret(lit).build();
        assertThat(auth.toString()).doesNotContain("hunter2");
        assertThat(ClientSettings.builder().baseUrl("http://h").auth(auth).build().toString()).doesNotContain("hunter2");
        assertThat(new TokenResponse("AT", Duration.ofSeconds(1), "RT").toString()).doesNotContain("AT,").doesNotContain("RT}");
    }

    @Test
    void sourceSectionReadsEveryKeyAndResolvesPathsAgainstTheJobFolder() throws Exception {
        String yaml = "url: http://127.0.0.1:8090/\n"
                + "auth:\n  method: jwt\n  client-id: svc\n  private-key: keys/k.pem\n  assertion-lifetime: 90s\n  client-secret: ${file:secrets/cs}\n"
                + "network:\n  bind-address: 127.0.0.2\n  proxy: http://proxy.internal:3128\n"
                + "apps: [a1, 2]\nfrom: -7d\nto: 2030-01-01T00:00:00Z\n";
        var node = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        ClientSettings s = ClientSettingsYaml.fromSource(node, Path.of("/jobs/x"));
        assertThat(s.baseUrl().toString()).isEqualTo("http://127.0.0.1:8090");
        assertThat(s.auth().privateKeyFile()).isEqualTo("/jobs/x/keys/k.pem");
        assertThat(s.auth().assertionLifetime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.auth().clientSecret()).isEqualTo(SecretRef.file("/jobs/x/secrets/cs"));
        assertThat(s.bindAddress()).isEqualTo("127.0.0.2");
        assertThat(s.proxy()).isEqualTo(URI.create("http://proxy.internal:3128"));
        Instant now = Instant.parse("2026-11-28T00:00:00Z");
        ClientSettingsYaml.Scope scope = ClientSettingsYaml.scope(node, now);
        assertThat(scope.apps()).containsExactly("a1", "2");
        assertThat(scope.from()).isEqualTo(now.minus(Duration.ofDays(7)));
        assertThat(scope.to()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void sourceSectionErrorsNameTheKey() throws Exception {
        ObjectMapper y = new ObjectMapper(new YAMLFactory());
        String base = "url: http://h:1\nauth:\n  method: client-secret\n  client-id: c\n  client-secret: ${env:X}\n";
        assertThatThrownBy(() -> ClientSettingsYaml.fromSource(y.readTree(base + "colour: red\n"), Path.of("/")))
                .hasMessageStartingWith("source.colour:");
        assertThatThrownBy(() -> ClientSettingsYaml.fromSource(y.readTree(base.replace("client-id", "client-idd")), Path.of("/")))
                .hasMessageStartingWith("source.auth.client-idd:");
        assertThatThrownBy(() -> ClientSettingsYaml.fromSource(y.readTree(base.replace("${env:X}", "plain")), Path.of("/")))
                .hasMessageStartingWith("source.auth.client-secret:").hasMessageNotContaining("plain");
        assertThatThrownBy(() -> ClientSettingsYaml.fromSource(y.readTree(base + "network:\n  bind-address: myhost\n"), Path.of("/")))
                .hasMessageStartingWith("source.network.bind-address:");
        assertThatThrownBy(() -> ClientSettingsYaml.fromSource(y.readTree(base + "from: yesterday\n"), Path.of("/")))
                .hasMessageStartingWith("source.from:");
        assertThatThrownBy(() -> ClientSettingsYaml.fromSource(y.readTree(base.replace("client-secret\n", "jwt\n")
                .replace("  client-secret: ${env:X}\n", "  assertion-lifetime: 5m\n")), Path.of("/")))
                .hasMessageStartingWith("source.auth.assertion-lifetime:");
    }

    static ClientSettings settings() {
        return ClientSettings.builder().baseUrl("http://127.0.0.1:1")
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId("svc")
                        .clientSecret(SecretRef.literal("s")).build())
                .build();
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
