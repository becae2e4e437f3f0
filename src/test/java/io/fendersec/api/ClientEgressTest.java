package io.fendersec.api;

import static io.fendersec.api.ClientEmulatorTest.capture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.cli.Main;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.ConfigException;
import io.fendersec.error.NetworkException;
import io.fendersec.job.JobSpecReader;
import io.fendersec.model.LogRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Egress of the client over real sockets on loopback: an HTTP forward proxy (absolute-form requests
 * and CONNECT tunnels) whose outgoing address is what the emulator's allowlist sees, HTTPS with
 * verification always on and a trust store for a private CA (made with the JDK's keytool), and
 * gzip-compressed answers.
 */
class ClientEgressTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Instant FROM = END.minus(Duration.ofDays(1));
    static final String SECRET = "egress-secret-31c9a7";
    static final String STORE_PASSWORD = "trust-pw-8e21d4";

    @TempDir
    static Path dir;

    /** Plain HTTP with gzip: what crosses the proxy can be read. */
    static BugfenderEmulator emu;
    /** HTTPS with a certificate for 127.0.0.1 issued by a private CA. */
    static BugfenderEmulator tls;
    static String app;
    static String tlsApp;

    @BeforeAll
    static void start() throws Exception {
        var proxyKey = EmulatorKeys.generateInto(Files.createDirectories(dir.resolve("keys")));
        makeTlsFiles(Files.createDirectories(dir.resolve("tls")));
        emu = BugfenderEmulator.builder().seed(11).apps(1).days(1).end(END).logsPerDay(1500).gzip(true)
                .serviceAccount("svc-proxy", proxyKey.getPublic(), List.of("127.0.0.3/32"))
                .clientSecret("cs-open", SECRET, List.of())
                .start();
        tls = BugfenderEmulator.builder().seed(12).apps(1).days(1).end(END).logsPerDay(600)
                .tls(dir.resolve("tls/server.p12"), STORE_PASSWORD)
                .clientSecret("cs-tls", SECRET, List.of())
                .start();
        app = emu.apps().get(0).id();
        tlsApp = tls.apps().get(0).id();
        Files.writeString(dir.resolve("store-password"), STORE_PASSWORD + "\n");
        Files.writeString(dir.resolve("wrong-password"), "not-the-password\n");
        Files.writeString(dir.resolve("client-secret"), SECRET + "\n");
    }

    @AfterAll
    static void stop() {
        if (emu != null) {
            emu.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    // ---------------------------------------------------------------- proxy

    @Test
    void signInAndApiCallsGoThroughTheProxyAndTheAllowlistSeesTheProxysAddress() throws Exception {
        Path key = dir.resolve("keys/private-key.pem");
        try (ForwardProxy proxy = new ForwardProxy("127.0.0.3")) {
            try (BugfenderApi api = BugfenderApi.create(jwt(emu, "svc-proxy", key).proxy(proxy.url()).build(), null)) {
                assertThat(api.apps()).hasSize(1);
                List<String> walked = ClientEmulatorTest.walk(api, query(app, 200));
                assertThat(walked).hasSizeGreaterThan(500).doesNotHaveDuplicates();
                assertThat(api.count(query(app, 200))).isEqualTo(walked.size());
            }
            List<String> targets = proxy.seen.stream().map(s -> s.method() + " " + s.target()).toList();
            assertThat(targets).contains("POST " + emu.tokenUrl(), "GET " + emu.baseUrl() + "/api/app/");
            assertThat(targets).allSatisfy(t -> assertThat(t).matches("(GET|POST) \\Q" + emu.baseUrl() + "/\\E.*"));
            assertThat(targets.stream().filter(t -> t.startsWith("GET " + emu.baseUrl() + "/api/app/" + app + "/logs/")))
                    .hasSizeGreaterThan(3); // the snapshot and the cursor pages, all through the proxy

            // The same account without the proxy comes from 127.0.0.1: refused, naming what to change.
            try (BugfenderApi api = BugfenderApi.create(jwt(emu, "svc-proxy", key).build(), null)) {
                assertThatThrownBy(api::apps).isInstanceOf(AccessRefusedException.class)
                        .hasMessageContainingAll("svc-proxy", "127.0.0.1", "source.network.proxy",
                                "source.network.bind-address", "allowlist")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            }
            Path without = job(emu, "jwt", "svc-proxy", "  private-key: " + key + "\n", "");
            ClientEmulatorTest.Captured refused = capture(() -> Main.run("check", without.toString()));
            assertThat(refused.exit()).isEqualTo(3);
            assertThat(refused.err().lines()).hasSize(1);
            assertThat(refused.err()).contains("127.0.0.1", "source.network.proxy");

            int before = proxy.seen.size();
            Path through = job(emu, "jwt", "svc-proxy", "  private-key: " + key + "\n",
                    "network:\n  proxy: " + proxy.url() + "\n");
            ClientEmulatorTest.Captured ok = capture(() -> Main.run("check", through.toString()));
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains(app);
            assertThat(proxy.seen.size()).isGreaterThan(before);
        }
    }

    @Test
    void aProxyThatIsNotAllowlistedIsNamedInTheRefusal() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy("127.0.0.1");
                BugfenderApi api = BugfenderApi.create(jwt(emu, "svc-proxy", dir.resolve("keys/private-key.pem"))
                        .proxy(proxy.url()).build(), null)) {
            assertThatThrownBy(api::apps).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContainingAll("127.0.0.1", "source.network.proxy", proxy.url());
            assertThat(proxy.seen).extracting(ForwardProxy.Seen::target).containsOnly(emu.tokenUrl());
        }
    }

    @Test
    void proxyCredentialsInTheUrlAreRefusedAtConfigTimeWithoutEchoingThem() throws Exception {
        assertThatThrownBy(() -> ClientSettings.builder().proxy("http://alice:pr0xy-pw@127.0.0.1:3128"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.network.proxy").hasMessageContaining("credentials")
                .hasMessageNotContaining("pr0xy-pw");
        Path job = job(emu, "client-secret", "cs-open", "  client-secret: ${file:" + dir.resolve("client-secret") + "}\n",
                "network:\n  proxy: http://alice:pr0xy-pw@127.0.0.1:3128\n");
        ClientEmulatorTest.Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("source.network.proxy").doesNotContain("pr0xy-pw");
    }

    // ---------------------------------------------------------------- gzip

    @Test
    void asksForGzipAndReadsGzippedPagesDownloadsAndCounts() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy("127.0.0.1");
                BugfenderApi api = BugfenderApi.create(secret(emu, "cs-open").proxy(proxy.url()).build(), null)) {
            List<String> walked = ClientEmulatorTest.walk(api, query(app, 100));
            List<String> downloaded = ClientEmulatorTest.download(api, query(app, 100));
            assertThat(walked).hasSizeGreaterThan(500).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(downloaded);
            assertThat(api.count(query(app, 100))).isEqualTo(walked.size());
            // Ground truth: every log of the generated data set in the range, read once.
            List<String> expected = emu.dataset().logs(app).stream().map(l -> l.record())
                    .filter(r -> !r.time().isBefore(FROM) && r.time().isBefore(END))
                    .map(LogRecord::uuid).toList();
            assertThat(walked).containsExactlyInAnyOrderElementsOf(expected);

            // Only what the client is sure to decode: no coding that needs a library that may be absent.
            assertThat(proxy.seen).isNotEmpty().allSatisfy(s ->
                    assertThat(s.requestHeader("Accept-Encoding")).as(s.requestLine()).isEqualTo("gzip, x-gzip, deflate"));
            List<ForwardProxy.Seen> logCalls = proxy.seen.stream()
                    .filter(s -> s.target().contains("/api/app/" + app + "/logs/")).toList();
            assertThat(logCalls).hasSizeGreaterThan(3).isNotEmpty().allSatisfy(s ->
                    assertThat(s.responseHeader("Content-Encoding")).as(s.requestLine()).isEqualTo("gzip"));
            assertThat(proxy.seen).anySatisfy(s -> assertThat(s.target()).contains("/logs/download"));
        }
    }

    // ---------------------------------------------------------------- TLS

    @Test
    void withoutATrustStoreAPrivateCaIsRefusedNamingTheUrlAndTheKey() throws Exception {
        try (BugfenderApi api = BugfenderApi.create(secret(tls, "cs-tls").build(), null)) {
            assertThatThrownBy(api::apps).isInstanceOf(NetworkException.class)
                    .hasMessageContainingAll(tls.tokenUrl(), "TLS", "source.network.trust-store")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        Path job = job(tls, "client-secret", "cs-tls", "  client-secret: ${file:" + dir.resolve("client-secret") + "}\n", "");
        ClientEmulatorTest.Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit()).isEqualTo(4);
        assertThat(c.err().lines()).hasSize(1);
        assertThat(c.err()).contains(tls.baseUrl(), "source.network.trust-store");
    }

    @Test
    void aTrustStoreWithThePrivateCaWorksFromTheJobFile() throws Exception {
        Path job = job(tls, "client-secret", "cs-tls", "  client-secret: ${file:" + dir.resolve("client-secret") + "}\n",
                "network:\n  trust-store: " + dir.resolve("tls/trust.p12") + "\n  trust-store-password: ${file:"
                        + dir.resolve("store-password") + "}\n");
        ClientEmulatorTest.Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("signed in to " + tls.baseUrl(), tlsApp);

        ClientSettings s = new JobSpecReader().read(job).source.client;
        try (BugfenderApi api = BugfenderApi.create(s, null)) {
            List<String> walked = ClientEmulatorTest.walk(api, query(tlsApp, 100));
            assertThat(walked).hasSizeGreaterThan(200).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ClientEmulatorTest.download(api, query(tlsApp, 100)));
        }
    }

    @Test
    void aWrongTrustStorePasswordIsAConfigErrorNamingTheKey() throws Exception {
        Path job = job(tls, "client-secret", "cs-tls", "  client-secret: ${file:" + dir.resolve("client-secret") + "}\n",
                "network:\n  trust-store: " + dir.resolve("tls/trust.p12") + "\n  trust-store-password: ${file:"
                        + dir.resolve("wrong-password") + "}\n");
        ClientEmulatorTest.Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err().lines()).hasSize(1);
        assertThat(c.err()).contains("source.network.trust-store", "trust-store-password").doesNotContain("not-the-password");
    }

    @Test
    void aPasswordProtectedTrustStoreWithoutItsPasswordIsAConfigErrorNotATlsFailure() throws Exception {
        // Read without its password, a PKCS#12 store loads empty and silently: that must not become
        // "TLS failed: set source.network.trust-store" on every call when the trust store is set.
        ClientSettings s = secret(tls, "cs-tls").trustStore(dir.resolve("tls/trust.p12").toString(), null).build();
        assertThatThrownBy(() -> BugfenderApi.create(s, null)).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("source.network.trust-store", "trust.p12", "source.network.trust-store-password");
        Path job = job(tls, "client-secret", "cs-tls", "  client-secret: ${file:" + dir.resolve("client-secret") + "}\n",
                "network:\n  trust-store: " + dir.resolve("tls/trust.p12") + "\n");
        ClientEmulatorTest.Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("source.network.trust-store-password");
    }

    @Test
    void theHostNameIsVerifiedEvenWithATrustedCertificate() throws Exception {
        // The certificate is for 127.0.0.1; the proxy resolves another name to the same server.
        try (ForwardProxy proxy = new ForwardProxy("127.0.0.1").alias("other-name.test", "127.0.0.1")) {
            ClientSettings ok = trusting(secret(tls, "cs-tls")).proxy(proxy.url()).build();
            try (BugfenderApi api = BugfenderApi.create(ok, null)) {
                assertThat(api.apps()).hasSize(1); // HTTPS through a CONNECT tunnel
            }
            assertThat(proxy.seen).extracting(ForwardProxy.Seen::requestLine)
                    .allSatisfy(l -> assertThat(l).startsWith("CONNECT 127.0.0.1:" + tls.port() + " "));

            String otherUrl = "https://other-name.test:" + tls.port();
            ClientSettings other = trusting(secret(tls, "cs-tls")).baseUrl(otherUrl).proxy(proxy.url()).build();
            try (BugfenderApi api = BugfenderApi.create(other, null)) {
                assertThatThrownBy(api::apps).isInstanceOf(NetworkException.class)
                        .hasMessageContainingAll(otherUrl + "/auth/token", "TLS");
            }
            assertThat(proxy.seen).anySatisfy(s -> assertThat(s.target()).isEqualTo("other-name.test:" + tls.port()));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ClientSettings.Builder trusting(ClientSettings.Builder b) {
        return b.trustStore(dir.resolve("tls/trust.p12").toString(), SecretRef.file(dir.resolve("store-password").toString()));
    }

    /**
     * A self-signed server certificate for IP 127.0.0.1, made with the JDK's keytool (one run: the
     * machine may be busy), in {@code server.p12} for the emulator, and that certificate alone as
     * the trust anchor in {@code trust.p12}, as a private CA's certificate would be.
     */
    private static void makeTlsFiles(Path d) throws Exception {
        keytool(d, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "3", "-keystore", "server.p12", "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD);
        KeyStore server = KeyStore.getInstance(d.resolve("server.p12").toFile(), STORE_PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("fendersec-test-anchor", server.getCertificate("server"));
        try (var out = Files.newOutputStream(d.resolve("trust.p12"))) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private static void keytool(Path d, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + "\n" + out).isZero();
    }

    static LogQuery query(String appId, int pageSize) {
        return LogQuery.builder(appId, FROM).to(END).pageSize(pageSize).build();
    }

    static ClientSettings.Builder settings(BugfenderEmulator e, AuthSettings auth) {
        return ClientSettings.builder().baseUrl(e.baseUrl()).auth(auth).maxRetries(2)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(20));
    }

    static ClientSettings.Builder jwt(BugfenderEmulator e, String id, Path key) {
        return settings(e, AuthSettings.builder().method(AuthSettings.Method.JWT).clientId(id).privateKeyFile(key.toString()).build());
    }

    static ClientSettings.Builder secret(BugfenderEmulator e, String id) {
        return settings(e, AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(id)
                .clientSecret(SecretRef.literal(SECRET)).build());
    }

    private static Path job(BugfenderEmulator e, String method, String clientId, String authExtra, String sourceExtra)
            throws Exception {
        String yaml = "source:\n  url: " + e.baseUrl() + "\n  auth:\n    method: " + method + "\n    client-id: " + clientId
                + "\n" + authExtra.replaceAll("(?m)^  ", "    ") + sourceExtra.replaceAll("(?m)^", "  ").replaceAll("  $", "")
                + "  from: " + FROM + "\n  to: " + END + "\n";
        Path f = dir.resolve("job-" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
