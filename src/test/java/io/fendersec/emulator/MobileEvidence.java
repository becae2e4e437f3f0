package io.fendersec.emulator;

import java.util.Map;
import java.util.regex.Pattern;

import io.fendersec.model.LogRecord;

/**
 * What the evidence of each mobile-pack label (issue 30) must say, written by hand from the
 * scenarios' descriptions: a label whose evidence lacks it would be a label the rule could not find.
 */
final class MobileEvidence {
    private MobileEvidence() {}

    private static final Map<String, Pattern> SHOWS = Map.ofEntries(
            Map.entry("frida-instrumentation", p("frida|gum-js-loop")),
            Map.entry("xposed-hooking", p("xposed|lsposed|lspatch")),
            Map.entry("ios-runtime-hooking", p("substrate|ellekit|tweakinject|runtimeManipulation")),
            Map.entry("root-cloaking", p("shamiko|hidemyapplist|shadow")),
            Map.entry("debugger-attached", p("debugger|tracerpid|p_traced|amIDebugged")),
            Map.entry("emulator-detected", p("emulator|simulator|sdk built for|sdk_gphone|genymotion")),
            Map.entry("app-cloning", p("multiple app instances|multiinstance")),
            Map.entry("screen-capture-sensitive", p("screenshot|captured")),
            Map.entry("overlay-tapjacking", p("obscured")),
            Map.entry("remote-access-tool", p("anydesk|controlling")),
            Map.entry("accessibility-service-risk", p("accessibility service")),
            Map.entry("magisk-root", p("magisk|zygisk")),
            Map.entry("kernel-root", p("kernelsu|ksu|apatch")),
            Map.entry("ios-jailbreak-tools", p("cydia|sileo|/var/jb|amIJailbroken")),
            Map.entry("android-root-artifacts", p("su binary|test-keys|busybox")),
            Map.entry("developer-options-enabled", p("development_settings_enabled|developer_options")),
            Map.entry("adb-enabled", p("adb_(?:wifi_)?enabled")),
            Map.entry("signing-certificate-mismatch", p("signature|certificate|team id")),
            Map.entry("bundle-id-mismatch", p("package name|bundle identifier")),
            Map.entry("untrusted-installer", p("installer|unofficialStore")),
            Map.entry("code-integrity-failure", p("checksum|hash|cryptid")),
            Map.entry("obfuscation-missing", p("obfuscation")),
            Map.entry("play-integrity-device-verdict", p("deviceRecognitionVerdict")),
            Map.entry("play-integrity-unlicensed", p("UNLICENSED")),
            Map.entry("play-integrity-unrecognized-app", p("UNRECOGNIZED_VERSION")),
            Map.entry("play-protect-risk", p("playProtectVerdict")),
            Map.entry("play-integrity-capturing", p("UNKNOWN_CAPTURING")),
            Map.entry("app-attest-failure", p("app attest")),
            Map.entry("attestation-failure-spike", p("IntegrityErrorCode|DCError")),
            Map.entry("cleartext-http", p("cleartext|http://")),
            Map.entry("tls-certificate-error", p("trust anchor|certificate for this server is invalid")),
            Map.entry("proxy-detected", p("proxy")),
            Map.entry("vpn-detected", p("vpn")),
            Map.entry("user-ca-trusted", p("user-installed CA")),
            Map.entry("biometric-enrollment-changed", p("KeyPermanentlyInvalidated|evaluatedPolicyDomainState")),
            Map.entry("otp-brute-force", p("OTP|one-time code")),
            Map.entry("api-enumeration", p("-> 40[345]")),
            Map.entry("hooked-device-sign-in", p("gum-js-loop|Login succeeded")),
            Map.entry("account-tampered-devices", p("Integrity report: device rooted, user=")),
            Map.entry("outdated-app-version", p("below minimum|update required")),
            Map.entry("pii-email-in-log", p("@")),
            Map.entry("pii-phone-in-log", p("phone")),
            Map.entry("pii-iban-in-log", p("DE89")),
            Map.entry("pii-national-id-in-log", p("dni=")));

    static boolean isMobileRule(String ruleId) {
        return SHOWS.containsKey(ruleId);
    }

    static boolean shows(String ruleId, LogRecord r) {
        return SHOWS.get(ruleId).matcher(r.text()).find();
    }

    private static Pattern p(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }
}
