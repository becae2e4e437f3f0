package io.fendersec.sink;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over {@code TIMESTAMP + "." + BODY} (the raw bytes sent). Signing the timestamp with
 * the body stops a captured request from being replayed later with a fresh timestamp; receivers
 * check the signature, then that the timestamp is recent (see docs/alert-delivery.md).
 */
public final class WebhookSigner {
    public static final String SIGNATURE_HEADER = "X-Fendersec-Signature";
    public static final String TIMESTAMP_HEADER = "X-Fendersec-Timestamp";

    private final SecretKeySpec key;

    public WebhookSigner(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header value, {@code sha256=<lower-case hex>}. */
    public String sign(long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
