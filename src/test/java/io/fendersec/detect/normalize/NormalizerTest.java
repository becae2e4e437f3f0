package io.fendersec.detect.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

class NormalizerTest {
    static LogRecord text(String t) {
        return LogRecord.builder().put("uuid", "u").put("text", t).build();
    }

    @Test
    void explicitExtractorWithWhenRunsBeforeDefaults() {
        Normalizer n = Normalizer.fromConfig(Map.of("extract", List.of(Map.of(
                "field", "source.ip", "from", "text",
                "regex", "from (\\d{1,3}(?:\\.\\d{1,3}){3})",
                "when", Map.of("text|contains", "Failed password")))), "normalize");
        assertThat(n.normalize(text("Failed password for bob from 10.1.2.3")).get("source.ip")).isEqualTo("10.1.2.3");
        // the explicit extractor does not apply, the default one still finds an address
        assertThat(n.normalize(text("connection from 10.9.9.9")).extracted()).containsEntry("source.ip", "10.9.9.9");
    }

    @Test
    void namedGroupValueAndKeyValueSource() {
        Normalizer n = Normalizer.builder().defaults(false)
                .extract(Extractor.builder().field("session").regex("sid=(?P<x>\\w+);(?P<value>\\w+)").build())
                .extract(Extractor.builder().field("plan").from("key_value").regex("^plan=(.*)$").build())
                .build();
        NormalizedLog log = n.normalize(LogRecord.builder().put("text", "sid=ab;cd").put("key_value_key", "plan")
                .put("key_value_value", "gold").build());
        assertThat(log.extracted()).containsExactly(Map.entry("session", "cd"), Map.entry("plan", "gold"));
        assertThat(log.get("plan")).isEqualTo("gold"); // key-value pairs are fields too
    }

    @Test
    void defaultsCoverMobileConventions() {
        Normalizer n = Normalizer.defaults();
        NormalizedLog a = n.normalize(text("Login failed for user=alice@example.com from 203.0.113.9"));
        assertThat(a.extracted()).containsEntry("user.name", "alice@example.com")
                .containsEntry("source.ip", "203.0.113.9").containsEntry("event.action", "login")
                .containsEntry("event.outcome", "failure");
        NormalizedLog b = n.normalize(text("POST https://api.example.com/v1/login -> 401"));
        assertThat(b.extracted()).containsEntry("http.method", "POST").containsEntry("url.path", "/v1/login")
                .containsEntry("http.status", "401");
        // Frida by its artifact (issue 30): "Frida" alone is a name
        assertThat(n.normalize(text("Frida server detected")).extracted()).containsEntry("device.integrity", "Frida server");
        assertThat(n.normalize(text("Banner: Frida Kahlo exhibition")).extracted()).doesNotContainKey("device.integrity");
        assertThat(Normalizer.builder().defaults(false).build().normalize(text("login failed")).extracted()).isEmpty();
    }

    @Test
    void badExtractorsFailAtConfiguration() {
        assertThatThrownBy(() -> Extractor.builder().field("x").regex("(a)\\1").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad regex");
        assertThatThrownBy(() -> Normalizer.fromConfig(Map.of("extract", List.of(Map.of("field", "x", "rgx", "a"))),
                "normalize")).isInstanceOf(ConfigException.class).hasMessageContaining("rgx");
    }
}
