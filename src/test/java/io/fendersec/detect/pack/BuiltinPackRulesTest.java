package io.fendersec.detect.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;
import io.fendersec.model.AlertJson;

/** Each built-in rule on logs made for it: what must alert, and the near miss that must not. */
class BuiltinPackRulesTest {
    static final RuleSet PACK = RuleLoader.builtin();
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    int seq;

    LogRecord log(String device, int second, String text, Object... kv) {
        LogRecord.Builder b = LogRecord.builder().put("uuid", "u" + seq++).put("app", "app1").put("device.udid", device)
                .put("version.version", "4.2.0").put("file", "Auth.swift").put("line", 10L).put("timezone", "Europe/Madrid")
                .put("time", T0.plusSeconds(second).toString()).put("absolute_time", (long) seq).put("text", text);
        for (int i = 0; i < kv.length; i += 2) {
            b.put((String) kv[i], kv[i + 1]);
        }
        return b.build();
    }

    static List<String> rulesAlerting(List<LogRecord> logs) {
        return run(logs).stream().map(Alert::ruleId).toList();
    }

    static List<Alert> run(List<LogRecord> logs) {
        return LocalEvaluator.evaluate(logs, Normalizer.defaults(), PACK, DetectionSettings.defaults());
    }

    List<LogRecord> failures(String device, String user, int n, int stepSeconds, int from) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(log(device, from + i * stepSeconds, "Sign-in rejected for " + user + " (INVALID_CREDENTIALS)"));
        }
        return out;
    }

    @Test
    void secretInLogFindsEachKindAndNeverCopiesIt() {
        String card = "4539 1488 0343 6467"; // passes Luhn
        List<LogRecord> logs = List.of(
                log("d1", 0, "Saved session token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlc2ln"),
                log("d2", 0, "authorization = Bearer AbCdEfGhIjKlMnOpQrStUvWxYz012345", "key_value_key", "authorization",
                        "key_value_value", "Bearer AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
                log("d3", 0, "Request body: {\"email\":\"a@b.co\",\"password\":\"Summer2024!\"}"),
                log("d4", 0, "Configuring upload client with access key AKIAIOSFODNN7EXAMPLE"),
                log("d5", 0, "Loaded signing key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END PRIVATE KEY-----"),
                log("d6", 0, "Card entered: " + card + " exp 08/28"),
                // near misses: a Luhn-failing 16-digit order number, the word password without a value
                log("d7", 0, "order_ref = 4539148803436468", "key_value_key", "order_ref", "key_value_value", "4539148803436468"),
                log("d8", 0, "Login failed for ana@example.com: invalid password"));
        List<Alert> alerts = run(logs);
        assertThat(alerts).extracting(a -> a.group().get("secret.kind"))
                .containsExactlyInAnyOrder("jwt", "bearer_token", "password", "aws_access_key", "private_key", "card_number");
        for (Alert a : alerts) {
            assertThat(a.group()).containsEntry("file", "Auth.swift").containsEntry("line", "10").containsEntry("version.version", "4.2.0");
            String json = AlertJson.toNode(a).toString();
            assertThat(json).doesNotContain("eyJhbGci", "AbCdEfGh", "Summer2024", "AKIAIOSF", "MIIEow", "4539", "1488");
        }
    }

    @Test
    void rootJailbreakAndAppTamperingAlertOncePerDevice() {
        List<LogRecord> logs = List.of(
                log("d1", 0, "Magisk detected: package com.topjohnwu.magisk is installed"),
                log("d1", 60, "RootBeer: device is rooted (su binary found at /system/xbin/su)"),
                log("d2", 0, "is_jailbroken = yes", "key_value_key", "is_jailbroken", "key_value_value", "yes"),
                log("d3", 0, "APK signature verification failed; app may be repackaged"),
                log("d4", 0, "Root view controller loaded; signature screen shown"),
                log("d4", 1, "Rooting for the home team: debug build"));
        assertThat(run(logs)).extracting(a -> a.ruleId() + "/" + a.group().get("device.udid"))
                // the mobile pack (issue 30) names the tools: Magisk, and RootBeer's su binary
                .containsExactlyInAnyOrder("root-jailbreak/d1", "root-jailbreak/d2", "app-tampering/d3", "magisk-root/d1",
                        "android-root-artifacts/d1");
    }

    @Test
    void pinningOnOneDeviceAndAcrossTheFleet() {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            logs.add(log("proxy", i * 60, "TrustKit: Pin validation failed for api.example.com", "url", "https://api.example.com/v2/cart"));
        }
        for (int i = 0; i < 4; i++) { // four is below the device threshold
            logs.add(log("other", 5000 + i * 60, "SSL pinning failed for https://api.example.com/x", "url", "https://api.example.com/x"));
        }
        for (int i = 0; i < 10; i++) {
            logs.add(log("fleet" + i, 9000 + i * 50, "Certificate pinning failure for cdn.example.com", "url", "https://cdn.example.com/img.jpg"));
        }
        for (int i = 0; i < 9; i++) { // nine devices: below the fleet threshold
            logs.add(log("f" + i, 20000 + i * 50, "Certificate pinning failure for img.example.com", "url", "https://img.example.com/a"));
        }
        assertThat(run(logs)).extracting(a -> a.ruleId() + "/" + a.group())
                .containsExactlyInAnyOrder("tls-pinning-device/{device.udid=proxy}", "tls-pinning-fleet/{url.domain=cdn.example.com}");
    }

    @Test
    void bruteForceAndItsSuccess() {
        List<LogRecord> logs = new ArrayList<>(failures("a1", "bob@example.com", 10, 20, 0));
        logs.add(log("a1", 400, "Signed in as bob@example.com"));
        logs.addAll(failures("a2", "eve@example.com", 12, 20, 0)); // brute force without success
        logs.addAll(failures("a3", "kim@example.com", 9, 20, 0)); // nine: below
        logs.add(log("a3", 400, "Login succeeded for kim@example.com"));
        logs.addAll(failures("a4", "joe@example.com", 10, 40, 0)); // ten, but spread over 6 minutes
        assertThat(rulesAlerting(logs)).containsExactlyInAnyOrder("brute-force", "brute-force-success", "brute-force");
        assertThat(run(logs)).filteredOn(a -> a.ruleId().equals("brute-force-success"))
                .extracting(Alert::group).containsExactly(Map.of("device.udid", "a1", "user.name", "bob@example.com"));
    }

    @Test
    void credentialStuffingAndOneAccountFromManyDevices() {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            logs.add(log("stuffer", i * 30, "[Auth] login(user" + i + "@mail.com) -> 401 Unauthorized"));
        }
        for (int i = 0; i < 9; i++) { // nine accounts: below
            logs.add(log("family", 5000 + i * 30, "Login failed for kid" + i + "@example.com: invalid password"));
        }
        for (int i = 0; i < 5; i++) {
            logs.add(log("bot" + i, 9000 + i * 200, "login_failure = ana@example.com", "key_value_key", "login_failure",
                    "key_value_value", "ana@example.com"));
        }
        for (int i = 0; i < 4; i++) { // four devices: below
            logs.add(log("own" + i, 20000 + i * 200, "Authentication failed: user=leo@example.com reason=wrong_password"));
        }
        assertThat(run(logs)).extracting(a -> a.ruleId() + "/" + a.group())
                .containsExactlyInAnyOrder("credential-stuffing/{device.udid=stuffer}", "account-many-devices/{user.name=ana@example.com}");
    }

    @Test
    void impossibleTravelNeedsTwoRegionsWithinTwoHours() {
        List<LogRecord> logs = List.of(
                log("home", 0, "Login succeeded for ana@example.com"),
                log("away", 3600, "Login succeeded for ana@example.com", "timezone", "Asia/Tokyo"),
                log("home2", 0, "Login succeeded for ben@example.com"),
                log("away2", 3 * 3600, "Login succeeded for ben@example.com", "timezone", "Asia/Tokyo"), // 3 h later
                log("home3", 0, "Login succeeded for cy@example.com"),
                log("near3", 600, "Login succeeded for cy@example.com", "timezone", "Europe/London")); // same region
        assertThat(run(logs)).extracting(a -> a.ruleId() + "/" + a.group())
                .containsExactly("impossible-travel/{user.name=ana@example.com}");
    }

    @Test
    void thresholdsAreOverridable() {
        RuleSet strict = RuleLoader.create().builtin(List.of("all"))
                .overrides(Map.of("brute-force", Map.of("threshold", 5, "timespan", "10m"))).load();
        List<Alert> alerts = LocalEvaluator.evaluate(failures("a1", "bob@example.com", 5, 60, 0), Normalizer.defaults(), strict,
                DetectionSettings.defaults());
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("brute-force");
        assertThat(PACK.rule("brute-force").info().tags()).contains("attack.t1110.001");
    }

    LogRecord errorLog(String version, long second, int level, String text) {
        return LogRecord.builder().put("uuid", String.format("e%06d", seq++)).put("app", "app1")
                .put("device.udid", "d" + (second % 7)).put("version.version", version).put("log_level", (long) level)
                .put("timezone", "Europe/Madrid").put("time", T0.plusSeconds(second).toString()).put("text", text).build();
    }

    /** A version's usual errors: one every 15 minutes for {@code hours}, from T0. */
    List<LogRecord> usualErrors(String version, int hours) {
        List<LogRecord> out = new ArrayList<>();
        for (long s = 0; s < hours * 3600L; s += 900) {
            out.add(errorLog(version, s, 2, "Image download failed, connection lost"));
        }
        return out;
    }

    @Test
    void errorSpikeAgainstTheVersionsOwnBaseline() {
        // 6 h at 2 errors per 30 min, then 25 errors and crashes in 20 minutes: 12x, >= 20
        List<LogRecord> logs = usualErrors("4.5.0", 6);
        for (int i = 0; i < 25; i++) {
            logs.add(errorLog("4.5.0", 6 * 3600L + i * 48, i % 5 == 4 ? 5 : 2, "Checkout decoding error"));
        }
        List<Alert> alerts = run(logs);
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("error-spike");
        assertThat(alerts.get(0).group()).containsExactly(Map.entry("version.version", "4.5.0"));
        assertThat(alerts.get(0).count()).isGreaterThanOrEqualTo(20);
        assertThat(alerts.get(0).severity()).isEqualTo("medium");

        // near misses: 19 errors (a 9x jump below min_count) ...
        List<LogRecord> small = usualErrors("4.5.0", 6);
        for (int i = 0; i < 19; i++) {
            small.add(errorLog("4.5.0", 6 * 3600L + i * 60, 2, "Checkout decoding error"));
        }
        assertThat(rulesAlerting(small)).isEmpty();
        // ... a version that always logs 25 errors per 30 minutes (busy, not spiking) ...
        List<LogRecord> busy = new ArrayList<>();
        for (long s = 0; s < 8 * 3600L; s += 72) {
            busy.add(errorLog("4.2.0", s, 2, "Timeout after 30000 ms"));
        }
        assertThat(rulesAlerting(busy)).isEmpty();
        // ... warnings and info are not errors ...
        List<LogRecord> warnings = usualErrors("4.5.0", 6);
        for (int i = 0; i < 40; i++) {
            warnings.add(errorLog("4.5.0", 6 * 3600L + i * 30, 1, "GET /v2/search -> 404"));
        }
        assertThat(rulesAlerting(warnings)).isEmpty();
        // ... a fresh version without 2 h of its own history ...
        List<LogRecord> fresh = new ArrayList<>();
        fresh.add(errorLog("4.6.0", 0, 2, "Image download failed"));
        for (int i = 0; i < 30; i++) {
            fresh.add(errorLog("4.6.0", 3600 + i * 30, 2, "Checkout decoding error"));
        }
        assertThat(rulesAlerting(fresh)).isEmpty();
        // ... and pinning failures, which tls-pinning-* report, do not count
        List<LogRecord> pinning = usualErrors("4.5.0", 6);
        for (int i = 0; i < 30; i++) {
            pinning.add(errorLog("4.5.0", 6 * 3600L + i * 40, 2,
                    "Certificate pinning failure for api.shop.example.com (pin mismatch), request aborted"));
        }
        assertThat(rulesAlerting(pinning)).doesNotContain("error-spike");
    }
}
