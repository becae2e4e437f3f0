package io.fendersec.emulator.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fendersec.emulator.auth.ClientAccount.ServiceAccount;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;

/**
 * Verifies a JWT client assertion (RFC 7523) the way the Bugfender docs describe it, each rule
 * refused with its own description so that a client developer learns which one they broke.
 */
public final class JwtAssertionVerifier {
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The docs' limit on an assertion's lifetime, also applied to how far ahead exp may be. */
    static final Duration MAX_LIFETIME = Duration.ofSeconds(120);
    /** How far a client's clock may run ahead of ours (iat and nbf). */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tokenUrl;
    private final Clock clock;
    private final ClientRegistry clients;
    private final ReplayCache replays = new ReplayCache();

    public JwtAssertionVerifier(String tokenUrl, Clock clock, ClientRegistry clients) {
        this.tokenUrl = tokenUrl;
        this.clock = clock;
        this.clients = clients;
    }

    /**
     * Returns the service account the assertion authenticates, or throws {@link OAuthError}.
     *
     * @param clientIdParam the form's {@code client_id}, optional in RFC 7523; when present it must name the issuer
     */
    public ServiceAccount verify(String assertion, String assertionType, String clientIdParam) {
        if (assertionType == null) {
            throw OAuthError.invalidRequest("client_assertion_type is required with client_assertion");
        }
        if (!ASSERTION_TYPE.equals(assertionType)) {
            throw OAuthError.invalidRequest("client_assertion_type must be " + ASSERTION_TYPE);
        }
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            throw OAuthError.invalidClient("client_assertion is not a compact JWS (header.payload.signature)");
        }
        JsonNode header = decodeJson(parts[0], "header");
        JsonNode payload = decodeJson(parts[1], "payload");
        // Checked before any library sees the token: only RS256 is acceptable, whatever the key could verify.
        String alg = header.path("alg").asText(null);
        if (!"RS256".equals(alg)) {
            throw OAuthError.invalidClient("client_assertion must be signed with RS256, not " + alg);
        }
        String clientId = clientIdParam != null ? clientIdParam : payload.path("iss").asText(null);
        if (clientId == null) {
            throw OAuthError.invalidClient("client_assertion has no iss and the request no client_id");
        }
        ClientAccount account = clients.find(clientId)
                .orElseThrow(() -> OAuthError.invalidClient("unknown client " + clientId));
        if (!(account instanceof ServiceAccount)) {
            throw OAuthError.invalidClient("client " + clientId + " has no registered public key");
        }
        ServiceAccount sa = (ServiceAccount) account;
        Instant now = clock.instant();
        Claims claims = verifiedClaims(assertion, sa, now);
        check(claims, clientId, now);
        return sa;
    }

    private Claims verifiedClaims(String assertion, ServiceAccount sa, Instant now) {
        try {
            return Jwts.parser()
                    .verifyWith(sa.publicKey())
                    .clock(() -> Date.from(now))
                    // jjwt's own exp/nbf checks get the widest skew we allow; the exact rules follow in check().
                    .clockSkewSeconds(MAX_CLOCK_AHEAD.toSeconds())
                    .build()
                    .parseSignedClaims(assertion)
                    .getPayload();
        } catch (ExpiredJwtException e) {
            throw OAuthError.invalidClient("client_assertion has expired (exp is in the past)");
        } catch (PrematureJwtException e) {
            throw OAuthError.invalidClient("client_assertion is not valid yet (nbf is in the future)");
        } catch (SignatureException e) {
            throw OAuthError.invalidClient("client_assertion signature does not verify with the public key registered for " + sa.id());
        } catch (JwtException | IllegalArgumentException e) {
            throw OAuthError.invalidClient("client_assertion is malformed: " + e.getClass().getSimpleName());
        }
    }

    private void check(Claims c, String clientId, Instant now) {
        if (!clientId.equals(c.getIssuer())) {
            throw OAuthError.invalidClient("client_assertion iss must be the client id " + clientId);
        }
        if (!clientId.equals(c.getSubject())) {
            throw OAuthError.invalidClient("client_assertion sub must be the client id " + clientId);
        }
        Set<String> aud = c.getAudience();
        if (aud == null || aud.size() != 1 || !tokenUrl.equals(aud.iterator().next())) {
            throw OAuthError.invalidClient("client_assertion aud must be " + tokenUrl);
        }
        Date exp = c.getExpiration();
        Date iat = c.getIssuedAt();
        if (exp == null) {
            throw OAuthError.invalidClient("client_assertion has no exp");
        }
        if (iat == null) {
            throw OAuthError.invalidClient("client_assertion has no iat");
        }
        if (!exp.toInstant().isAfter(now)) {
            throw OAuthError.invalidClient("client_assertion has expired (exp is in the past)");
        }
        if (iat.toInstant().isAfter(now.plus(MAX_CLOCK_AHEAD))) {
            throw OAuthError.invalidClient("client_assertion iat is more than 30 s in the future");
        }
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(MAX_LIFETIME) > 0) {
            throw OAuthError.invalidClient("client_assertion lifetime exp - iat exceeds 120 s");
        }
        if (Duration.between(now, exp.toInstant()).compareTo(MAX_LIFETIME) > 0) {
            throw OAuthError.invalidClient("client_assertion exp is more than 120 s from now");
        }
        Date nbf = c.getNotBefore();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(MAX_CLOCK_AHEAD))) {
            throw OAuthError.invalidClient("client_assertion is not valid yet (nbf is in the future)");
        }
        String jti = c.getId();
        if (jti == null || jti.isEmpty()) {
            throw OAuthError.invalidClient("client_assertion has no jti");
        }
        if (!replays.firstUse(clientId, jti, exp.toInstant(), now)) {
            throw OAuthError.invalidClient("client_assertion jti was already used (replay)");
        }
    }

    private static JsonNode decodeJson(String part, String what) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException();
            }
            return n;
        } catch (Exception e) {
            throw OAuthError.invalidClient("client_assertion " + what + " is not base64url JSON");
        }
    }
}
