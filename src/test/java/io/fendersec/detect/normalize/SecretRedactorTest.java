package io.fendersec.detect.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * Evidence text is redacted of what the secret-in-log rule calls a secret: every kind its
 * extractors know, checked against those very extractors (a redacted text no longer yields
 * {@code secret.kind}), while text around the secret and non-secrets stay.
 */
class SecretRedactorTest {
    static final SecretRedactor REDACTOR = SecretRedactor.of(Normalizer.defaults());
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlc2ln";

    static String secretKind(String text) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(LogFields.UUID, "u");
        f.put(LogFields.TEXT, text);
        return Normalizer.defaults().normalize(LogRecord.of(f)).get("secret.kind");
    }

    @Test
    void everyKindOfSecretIsRedactedAndNoLongerDetected() {
        List<String> leaks = List.of(
                "Saved session token " + JWT + " for ana",
                "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789 sent",
                "login body {\"password\": \"hunter2hunter2\"} posted",
                "password = s3cr3t-value",
                "aws key AKIAIOSFODNN7EXAMPLE loaded",
                "Card entered: 4539 1488 0343 6467 exp 08/28",
                "key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY----- done");
        for (String leak : leaks) {
            assertThat(secretKind(leak)).as("the rule sees a secret in: %s", leak).isNotNull();
            String red = REDACTOR.redact(leak);
            assertThat(red).as(leak).contains("[redacted ");
            assertThat(secretKind(red)).as("still a secret after redaction: %s", red).isNull();
        }
        assertThat(REDACTOR.redact("Saved session token " + JWT + " for ana"))
                .isEqualTo("Saved session token [redacted jwt] for ana");
        assertThat(REDACTOR.redact("Card entered: 4539 1488 0343 6467 exp 08/28"))
                .isEqualTo("Card entered: [redacted card_number] exp 08/28");
        assertThat(REDACTOR.redact("key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY----- done"))
                .isEqualTo("key [redacted private_key] done");
    }

    @Test
    void aPrivateKeyCutOffBeforeItsFooterIsRedactedToTheEnd() {
        assertThat(REDACTOR.redact("pem -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
                .isEqualTo("pem [redacted private_key]");
    }

    @Test
    void nonSecretsStay() {
        String order = "order_ref = 4539148803436468 (fails the Luhn check)";
        assertThat(REDACTOR.redact(order)).isEqualTo(order);
        String plain = "Login failed for ana@example.com: invalid password";
        assertThat(REDACTOR.redact(plain)).isEqualTo(plain);
        assertThat(REDACTOR.redact(null)).isNull();
    }

    @Test
    void everySecretInOneTextIsRedacted() {
        String two = "t1 " + JWT + " t2 " + JWT.replace('c', 'd') + " card 4539 1488 0343 6467 and 4539148803436468";
        String red = REDACTOR.redact(two);
        assertThat(red).doesNotContain("eyJ").doesNotContain("4539 1488").contains("4539148803436468");
    }

    @Test
    void theJobsOwnSecretExtractorsCountToo() {
        Normalizer custom = Normalizer.builder().extract(Extractor.builder().field("secret.kind")
                .regex("\\bacme_[A-Za-z0-9]{10,}").value("acme_key").build()).build();
        assertThat(SecretRedactor.of(custom).redact("charge with acme_abcdefghijkl ok"))
                .isEqualTo("charge with [redacted acme_key] ok");
        assertThat(REDACTOR.redact("charge with acme_abcdefghijkl ok")).contains("acme_");
    }
}
