package io.fendersec.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;

import org.junit.jupiter.api.Test;

class ClientAssertionTest {
    @Test
    void carriesTheRfc7523ClaimsAndANewJtiEachTime() throws Exception {
        KeyPair kp = PrivateKeyFileTest.rsa(2048);
        Instant now = Instant.now();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        ClientAssertion a = new ClientAssertion("svc-1", URI.create("http://127.0.0.1:1234/auth/token"),
                (RSAPrivateKey) kp.getPrivate(), Duration.ofSeconds(90), clock);
        String first = a.create();
        String second = a.create();

        Jws<Claims> jws = Jwts.parser().verifyWith(kp.getPublic()).clock(() -> java.util.Date.from(now)).build()
                .parseSignedClaims(first);
        Claims c = jws.getPayload();
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("RS256");
        assertThat(c.getIssuer()).isEqualTo("svc-1");
        assertThat(c.getSubject()).isEqualTo("svc-1");
        assertThat(c.getAudience()).containsExactly("http://127.0.0.1:1234/auth/token");
        assertThat(c.getIssuedAt().toInstant()).isEqualTo(Instant.ofEpochSecond(now.getEpochSecond()));
        assertThat(Duration.between(c.getIssuedAt().toInstant(), c.getExpiration().toInstant())).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.getNotBefore()).isEqualTo(c.getIssuedAt());
        assertThat(c.getId()).isNotBlank();

        Claims c2 = Jwts.parser().verifyWith(kp.getPublic()).clock(() -> java.util.Date.from(now)).build()
                .parseSignedClaims(second).getPayload();
        assertThat(c2.getId()).isNotEqualTo(c.getId());
        assertThat(second).isNotEqualTo(first);
        // aud is a single string, as servers following RFC 7523 examples expect.
        String payload = new String(java.util.Base64.getUrlDecoder().decode(first.split("\\.")[1]));
        assertThat(payload).contains("\"aud\":\"http://127.0.0.1:1234/auth/token\"");
        assertThat(a.toString()).doesNotContain(first);
    }
}
