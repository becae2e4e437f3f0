package io.fendersec.emulator.scenario;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.CardNumbers;
import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * Secrets the app writes into its own logs: a debug line left in a release build that prints the
 * auth token, a request body with the password, a cloud key, a private key, a card number. One
 * incident per kind of secret, each on one device at one code site, repeated a few times (every
 * request logs it); half of them in key-values. Every other incident's device was offline and
 * uploads hours later.
 */
final class SecretInLog extends AttackScenario {
    /** The kinds, in the order incidents use them; the rule reports these names as {@code secret.kind}. */
    static final String[] KINDS = {"jwt", "bearer_token", "password", "aws_access_key", "private_key", "card_number"};
    private static final String B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    SecretInLog() {
        super("secret-in-log", KINDS.length);
    }

    @Override
    Duration length() {
        return Duration.ofMinutes(40);
    }

    @Override
    void attack(Incident inc, Instant start, int k) {
        SplittableRandom r = inc.r;
        Device d = someDevice(inc);
        String kind = KINDS[k];
        boolean asKeyValue = k % 2 == 1;
        Site site = site(kind, r);
        inc.session(d, start.minusSeconds(90), 12);
        long t = start.toEpochMilli();
        int repeats = 2 + r.nextInt(4);
        String secret = secret(kind, d, r); // one secret per device: the same token logged on every request
        for (int i = 0; i < repeats; i++) {
            t += 20_000 + r.nextInt(120_000);
            LogLine l = LogLine.of(d, Instant.ofEpochMilli(t)).level(LogFields.LEVEL_DEBUG).tag(site.tag)
                    .source(site.file, site.method, site.line);
            if (asKeyValue) {
                // a header value keeps its scheme, as an interceptor dumping headers logs it
                String value = kind.equals("bearer_token") ? "Bearer " + secret : secret;
                l.keyValue(site.key, value).text(site.key + " = " + value);
            } else {
                l.text(String.format(site.text, secret));
            }
            inc.evidence(l);
        }
        if (k % 2 == 0) {
            inc.evidenceArrivesLate(Duration.ofMinutes(60 + r.nextInt(5 * 60)));
        }
        LogRecord first = inc.evidence().get(0);
        Map<String, String> group = new LinkedHashMap<>();
        group.put("device.udid", d.udid());
        group.put("secret.kind", kind);
        group.put("version.version", d.appVersion());
        group.put("file", first.getString(LogFields.FILE));
        group.put("line", first.getString(LogFields.LINE));
        inc.label(group);
    }

    /** The code site that leaks: how the text reads, and the key when it logs a key-value. */
    private record Site(String tag, String file, String method, int line, String text, String key) {}

    private static Site site(String kind, SplittableRandom r) {
        switch (kind) {
            case "jwt":
                return new Site("auth", "TokenStore", "save(_:)", 57, "Saved session token %s", "id_token");
            case "bearer_token":
                return new Site("network", "ApiInterceptor", "intercept(chain)", 33,
                        "--> GET /v2/profile headers={Authorization: Bearer %s, Accept: application/json}", "authorization");
            case "password":
                return new Site("auth", "LoginRequest", "encode()", 21,
                        pick(r, "Request body: {\"email\":\"user@example.com\",\"password\":\"%s\"}", "login params password=%s&remember=1"),
                        "password");
            case "aws_access_key":
                return new Site("upload", "S3Uploader", "configure()", 14, "Configuring upload client with access key %s", "aws_access_key_id");
            case "private_key":
                return new Site("crypto", "KeyManager", "loadSigningKey()", 90, "Loaded signing key:\n%s", "signing_key");
            default:
                return new Site("checkout", "PaymentForm", "validate()", 118, "Card entered: %s exp 08/28", "card_number");
        }
    }

    private static String secret(String kind, Device d, SplittableRandom r) {
        switch (kind) {
            case "jwt": {
                String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
                String payload = b64("{\"sub\":\"" + d.user() + "\",\"iat\":" + (1_700_000_000L + r.nextInt(90_000_000)) + "}");
                return header + "." + payload + "." + random(r, 43, B62 + "-_");
            }
            case "bearer_token":
                return random(r, 40, B62);
            case "password":
                return pick(r, "Summer2024!", "hunter2hunter2", "P@ssw0rd-" + r.nextInt(1000), "Barcelona#1992");
            case "aws_access_key":
                return "AKIA" + random(r, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
            case "private_key":
                return "-----BEGIN " + pick(r, "RSA ", "EC ", "") + "PRIVATE KEY-----\n" + random(r, 64, B62 + "+/") + "\n"
                        + random(r, 64, B62 + "+/") + "\n-----END PRIVATE KEY-----";
            default:
                String digits = CardNumbers.luhnValid(r, pick(r, "4", "51", "37"), 16);
                return r.nextBoolean() ? digits : digits.replaceAll("(\\d{4})(?=\\d)", "$1 ");
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String random(SplittableRandom r, int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
