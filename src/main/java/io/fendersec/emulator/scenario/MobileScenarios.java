package io.fendersec.emulator.scenario;

import static io.fendersec.emulator.scenario.MobileSignal.Finding.kv;
import static io.fendersec.emulator.scenario.MobileSignal.Finding.of;
import static io.fendersec.emulator.scenario.MobileSignal.Finding.request;

import java.util.ArrayList;
import java.util.List;

import io.fendersec.emulator.generate.ScenarioInjector;

/**
 * The scenarios of the mobile pack (issue 30), one per alerting rule of {@code rules/mobile-*.yml}
 * ({@code outdated-app-version} by the app's own force-update finding: the demo job has no version
 * lookup table), and the benign look-alikes.
 * The findings are worded as the pack's examples word them (the rules' {@code .tests.yml}); each
 * lists the other rules of the pack that report it too, so the labels say every alert it gives.
 */
final class MobileScenarios {
    private MobileScenarios() {}

    private static final List<MobileSignal.Finding> NONE = List.of();

    static List<ScenarioInjector> all() {
        List<ScenarioInjector> s = new ArrayList<>();
        // --- instrumentation and analysis environments ---
        s.add(MobileSignal.device("frida-instrumentation",
                List.of(of("Anti-instrumentation: thread gum-js-loop found in /proc/self/task"),
                        of("Frida server detected listening on 127.0.0.1:27042", "root-jailbreak")),
                List.of(of("Anti-instrumentation: thread gum-js-loop found in task list"),
                        of("FridaGadget.dylib loaded into process: runtime hooking detected", "root-jailbreak"))));
        s.add(MobileSignal.device("xposed-hooking",
                List.of(of("Hook framework found: org.lsposed.manager installed"),
                        of("LSPatch loader found in application class path")), NONE));
        s.add(MobileSignal.device("ios-runtime-hooking", NONE,
                List.of(of("Loaded image /usr/lib/TweakInject.dylib (ElleKit)"), of("freeRASP threat: runtimeManipulation"))));
        s.add(MobileSignal.device("root-cloaking",
                List.of(of("Cloaking module found: Shamiko with denylist enforced"),
                        of("Package com.tsng.hidemyapplist present")),
                List.of(of("Hiding tweak loaded: shadow.dylib (me.jjolano.shadow)"))));
        s.add(MobileSignal.device("debugger-attached",
                List.of(of("Anti-debug: TracerPid: 4312 in /proc/self/status"), of("Talsec: onDebuggerDetected")),
                List.of(of("IOSSecuritySuite: amIDebugged=true"), of("freeRASP threat: debugger"))));
        s.add(MobileSignal.device("emulator-detected",
                List.of(of("Emulator detected: Build.MODEL=Android SDK built for x86, ro.kernel.qemu=1"),
                        of("Talsec: onEmulatorDetected")),
                List.of(of("Running in simulator: SIMULATOR_DEVICE_NAME=iPhone 15"))));
        s.add(MobileSignal.device("app-cloning",
                List.of(of("Data dir is /data/user/999/com.shop.app: multiple app instances"),
                        of("Talsec: onMultiInstanceDetected")), NONE));
        s.add(MobileSignal.device("screen-capture-sensitive",
                List.of(of("ScreenCaptureCallback: screenshot taken on screen OTP entry")),
                List.of(of("UIScreen.isCaptured=true (capturedDidChange) on screen: Card details"),
                        of("Screenshot taken on Payment confirmation screen"))));
        s.add(MobileSignal.device("overlay-tapjacking",
                List.of(of("Touch filtered: window obscured (FLAG_WINDOW_IS_PARTIALLY_OBSCURED) on Transfer confirm")), NONE));
        s.add(MobileSignal.device("remote-access-tool",
                List.of(of("Running package com.anydesk.anydeskandroid during payment"),
                        of("Play Integrity appAccessRiskVerdict: appsDetected=[KNOWN_INSTALLED, UNKNOWN_CONTROLLING]")),
                NONE));
        s.add(MobileSignal.device("accessibility-service-risk",
                List.of(of("Untrusted accessibility service enabled: com.qwe.helper/.SvcAccess")), NONE));
        // --- root and jailbreak ---
        s.add(MobileSignal.device("magisk-root",
                List.of(of("Zygisk module loaded into process: /data/adb/modules/playintegrityfix"),
                        of("Magisk detected: package com.topjohnwu.magisk is installed", "root-jailbreak")), NONE));
        s.add(MobileSignal.device("kernel-root",
                List.of(of("Root check: /data/adb/ksu exists (KernelSU)"), of("Root check: package me.bmax.apatch installed")),
                NONE));
        s.add(MobileSignal.device("ios-jailbreak-tools", NONE,
                List.of(of("canOpenURL(sileo://) returned true"), of("Suspicious path exists: /var/jb (palera1n)"))));
        s.add(MobileSignal.device("android-root-artifacts",
                List.of(of("Build tags: test-keys"), of("Suspicious binary in PATH: busybox")), NONE));
        s.add(MobileSignal.device("developer-options-enabled",
                List.of(of("Settings.Global: development_settings_enabled=1"), kv("developer_options", "true")), NONE));
        s.add(MobileSignal.device("adb-enabled",
                List.of(of("Security check: adb_enabled=1"), kv("adb_wifi_enabled", "1")), NONE));
        // --- tampering ---
        s.add(MobileSignal.device("signing-certificate-mismatch",
                List.of(of("Signing certificate SHA-256 mismatch: expected 3F:2A..E1, got 9C:11..42")),
                List.of(of("Team ID mismatch: embedded 7XQ3K2ZZ9A, release ABCD1234EF"))));
        s.add(MobileSignal.device("bundle-id-mismatch",
                List.of(of("Package name mismatch: expected com.shop.app, running as com.shop.app.clone")),
                List.of(of("Bundle identifier mismatch: running as com.shop.app.sideload"))));
        s.add(MobileSignal.device("untrusted-installer",
                List.of(of("Install source: installer=com.google.android.packageinstaller")),
                List.of(of("freeRASP threat: unofficialStore"))));
        s.add(MobileSignal.device("code-integrity-failure",
                List.of(of("Integrity: classes2.dex hash changed since build")),
                List.of(of("LC_ENCRYPTION_INFO cryptid=0: binary is decrypted"))));
        s.add(MobileSignal.device("obfuscation-missing", List.of(of("Talsec: onObfuscationIssuesDetected")), NONE));
        // --- attestation ---
        s.add(MobileSignal.device("play-integrity-device-verdict",
                List.of(of("Play Integrity: deviceRecognitionVerdict=[MEETS_BASIC_INTEGRITY]"),
                        kv("deviceIntegrity.deviceRecognitionVerdict", "MEETS_VIRTUAL_INTEGRITY")), NONE));
        s.add(MobileSignal.device("play-integrity-unlicensed",
                List.of(of("accountDetails.appLicensingVerdict: UNLICENSED"), kv("appLicensingVerdict", "UNLICENSED")), NONE));
        s.add(MobileSignal.device("play-integrity-unrecognized-app",
                List.of(of("Play Integrity verdict: appRecognitionVerdict=UNRECOGNIZED_VERSION", "app-tampering"),
                        kv("appIntegrity.appRecognitionVerdict", "UNRECOGNIZED_VERSION", "app-tampering")), NONE));
        s.add(MobileSignal.device("play-protect-risk",
                List.of(of("environmentDetails.playProtectVerdict=HIGH_RISK"), kv("playProtectVerdict", "MEDIUM_RISK")), NONE));
        s.add(MobileSignal.device("play-integrity-capturing",
                List.of(of("appAccessRiskVerdict.appsDetected=[KNOWN_INSTALLED, UNKNOWN_INSTALLED, UNKNOWN_CAPTURING]")), NONE));
        s.add(MobileSignal.device("app-attest-failure", NONE,
                List.of(of("App Attest generateAssertion failed: DCError.invalidKey"),
                        of("DCErrorDomain Code=3 from App Attest attestKey: key already attested"))));
        // --- network ---
        s.add(MobileSignal.device("cleartext-http",
                List.of(of("java.net.UnknownServiceException: CLEARTEXT communication to api.shop.example.com not permitted by network security policy"),
                        request("GET http://api.shop.example.com/v2/cart -> 200 (80 ms)", "http://api.shop.example.com/v2/cart")),
                List.of(of("App Transport Security has blocked a cleartext HTTP (http://) resource load since it is insecure"))));
        s.add(MobileSignal.device("proxy-detected",
                List.of(of("Proxy detected: http.proxyHost=192.168.1.20:8080")),
                List.of(of("Proxy detected: HTTPProxy = 192.168.1.20:8080"), kv("proxy_enabled", "true"))));
        s.add(MobileSignal.device("vpn-detected",
                List.of(of("NetworkCapabilities: TRANSPORT_VPN active; VPN detected"), of("Talsec: onSystemVPNDetected")),
                List.of(of("VPN detected: utun3 interface is up"))));
        s.add(MobileSignal.device("user-ca-trusted",
                List.of(of("TLS: chain ends in user-installed CA \"PortSwigger CA\"")),
                List.of(of("TLS: chain ends in user-installed CA \"mitmproxy\""))));
        // --- authentication ---
        s.add(MobileSignal.device("biometric-enrollment-changed",
                List.of(of("Unlock failed: android.security.keystore.KeyPermanentlyInvalidatedException: Key permanently invalidated")),
                List.of(of("LAContext evaluatedPolicyDomainState changed since enrolment; biometric unlock disabled"))));
        s.add(new MobileSignal("outdated-app-version", MobileSignal.Group.VERSION, "UpdateChecker",
                List.of(of("Update check: installed version is below minimum supported version 4.5.0; prompt dismissed")),
                List.of(of("Forced update required (minimum 4.5.0); user chose Later"))));
        // --- personal data (grouped by code site) ---
        s.add(pii("pii-email-in-log", "ProfileStore", of("Profile saved: contact lena.fischer@example.org")));
        s.add(pii("pii-phone-in-log", "ShippingForm", of("Shipping contact phone: +34 612 345 678")));
        s.add(pii("pii-iban-in-log", "TransferService", of("Transfer to DE89 3704 0044 0532 0130 00 queued")));
        s.add(pii("pii-national-id-in-log", "KycUpload", of("KYC submitted: dni=12345678Z")));
        // --- correlations ---
        s.add(new TlsCertificateError());
        s.add(new OtpBruteForce());
        s.add(new ApiEnumeration());
        s.add(new HookedDeviceSignIn());
        s.add(new AccountTamperedDevices());
        s.add(new AttestationFailureSpike());
        s.add(new MobileLookalikes());
        return List.copyOf(s);
    }

    private static MobileSignal pii(String name, String file, MobileSignal.Finding f) {
        return new MobileSignal(name, MobileSignal.Group.CODE_SITE, file, List.of(f), List.of(f));
    }
}
