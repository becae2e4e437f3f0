package io.fendersec.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.FileRefreshTokenStore;
import io.fendersec.auth.RefreshTokenProvider;
import io.fendersec.auth.RefreshTokenStore;
import io.fendersec.auth.SecretRef;
import io.fendersec.auth.TokenEndpoint;
import io.fendersec.auth.TokenProvider;
import io.fendersec.auth.TokenProviders;
import io.fendersec.auth.TokenResponse;
import io.fendersec.cli.Main;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;
import io.fendersec.emulator.Faults;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.ConfigException;
import io.fendersec.model.LogRecord;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real emulator over real HTTP on an ephemeral port: every sign-in method,
 * the allowlist, token expiry during a read, 401 recovery, faults, refresh-token rotation, and
 * no secret in DEBUG logs.
 */
class ClientEmulatorTest {
    static final Instant END = Instant.parse("2026-11-28T00:00:00Z");
    static final Instant FROM = END.minus(Duration.ofDays(1));
    static final String SECRET = "cs-secret-5b1f0c2e";
    static final String INTEGRATION_SECRET = "int-secret-77aa01";

    @TempDir
    static Path keys;
    @TempDir
    Path dir;

    static BugfenderEmulator emu;
    static String app;

    @BeforeAll
    static void start() throws Exception {
        var open = EmulatorKeys.generateInto(keys);
        Path restricted = Files.createDirectories(keys.resolve("restricted"));
        var allow = EmulatorKeys.generateInto(restricted);
        assertThat(run(keys, "openssl", "genrsa", "-traditional", "-out", "pkcs1.pem", "2048")).isZero();
        assertThat(run(keys, "openssl", "rsa", "-in", "pkcs1.pem", "-pubout", "-out", "pkcs1-pub.pem")).isZero();
        emu = BugfenderEmulator.builder().seed(7).apps(2).days(1).end(END).logsPerDay(3000)
                .serviceAccount("svc-jwt", open.getPublic(), List.of())
                .serviceAccount("svc-pkcs1", EmulatorKeys.readPublicKey(keys.resolve("pkcs1-pub.pem")), List.of())
                .serviceAccount("svc-allow", allow.getPublic(), List.of("127.0.0.2/32"))
                .clientSecret("cs-1", SECRET, List.of())
                .clientSecret("cs-ttl", SECRET, List.of())
                .clientSecret("cs-long", SECRET, List.of())
                .clientSecret("cs-faults", SECRET, List.of())
                .clientSecret("cs-429", SECRET, List.of())
                .integration("int-1", INTEGRATION_SECRET)
                .user("alice")
                .start();
        app = emu.apps().get(0).id();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @AfterEach
    void noFaults() {
        emu.setFaults(Faults.none());
    }

    // ---------------------------------------------------------------- sign-in

    @Test
    void jwtWithPkcs8Key() {
        try (BugfenderApi api = BugfenderApi.create(jwt("svc-jwt", keys.resolve("private-key.pem")).build(), null)) {
            assertThat(api.apps()).extracting(App::id).containsExactlyElementsOf(emu.apps().stream().map(a -> a.id()).toList());
            assertThat(api.count(query(100))).isPositive();
        }
    }

    @Test
    void jwtWithPkcs1Key() {
        try (BugfenderApi api = BugfenderApi.create(jwt("svc-pkcs1", keys.resolve("pkcs1.pem")).build(), null)) {
            assertThat(api.apps()).hasSize(2);
        }
    }

    @Test
    void clientSecret() {
        try (BugfenderApi api = BugfenderApi.create(secret("cs-1").build(), null)) {
            assertThat(api.apps()).hasSize(2);
        }
    }

    @Test
    void wrongClientSecretIsRefusedNamingTheClient() {
        ClientSettings s = settings(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId("cs-1")
                .clientSecret(SecretRef.literal("wrong")).build()).build();
        try (BugfenderApi api = BugfenderApi.create(s, null)) {
            assertThatThrownBy(api::apps).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContainingAll("cs-1", "invalid_client", "source.auth.client-secret")
                    .hasMessageNotContaining("wrong");
        }
    }

    @Test
    void loginThenRefreshTokenWithRotation() throws Exception {
        Path job = job("refresh-token", "int-1", "  client-secret: ${file:" + secretFile(INTEGRATION_SECRET) + "}\n"
                + "  refresh-token-file: state/refresh-token\n", "");
        assertThat(Main.run("login", job.toString(), "--code", authorizationCode("int-1"))).isZero();
        Path rtFile = dir.resolve("state/refresh-token");
        String first = Files.readString(rtFile).trim();
        assertThat(first).isNotEmpty();
        try (BugfenderApi api = BugfenderApi.create(new io.fendersec.job.JobSpecReader().read(job).source.client, null)) {
            assertThat(api.apps()).hasSize(2);
        }
        String rotated = Files.readString(rtFile).trim();
        assertThat(rotated).isNotEqualTo(first); // the refresh grant rotated it, and the new one was stored
        assertThat(Main.run("check", job.toString())).isZero();
        assertThat(Files.readString(rtFile).trim()).isNotEqualTo(rotated);
    }

    @Test
    void keyFileErrorsExitTwoFromCheck() throws Exception {
        Path job = job("jwt", "svc-jwt", "  private-key: keys/missing.pem\n", "");
        Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit).isEqualTo(2);
        assertThat(c.err.trim()).startsWith("fendersec: source.auth.private-key: " + dir.resolve("keys/missing.pem"))
                .contains("does not exist").doesNotContain("\n");
        Files.createDirectories(dir.resolve("keys"));
        Files.copy(keys.resolve("public-key.pem"), dir.resolve("keys/missing.pem"));
        c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit).isEqualTo(2);
        assertThat(c.err).contains("public key");
    }

    @Test
    void checkListsAppsCountsAndSkew() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.copy(keys.resolve("private-key.pem"), dir.resolve("keys/k.pem"));
        Path job = job("jwt", "svc-jwt", "  private-key: keys/k.pem\n",
                "from: " + FROM + "\nto: " + END + "\n");
        Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit).as(c.err).isZero();
        assertThat(c.out).contains("signed in to " + emu.baseUrl() + " as svc-jwt (jwt)", app, "clock skew:");
    }

    // ---------------------------------------------------------------- allowlist

    @Test
    void allowlistedBindAddressWorksAndTheDefaultIsRefusedClearly() throws Exception {
        Path key = keys.resolve("restricted/private-key.pem");
        try (BugfenderApi api = BugfenderApi.create(jwt("svc-allow", key).bindAddress("127.0.0.2").build(), null)) {
            assertThat(api.apps()).hasSize(2);
            assertThat(api.count(query(100))).isPositive();
        }
        try (BugfenderApi api = BugfenderApi.create(jwt("svc-allow", key).build(), null)) {
            assertThatThrownBy(api::apps).isInstanceOf(AccessRefusedException.class)
                    .hasMessageContainingAll("svc-allow", "127.0.0.1", "source.network.bind-address",
                            "source.network.proxy", "allowlist")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        Path job = job("jwt", "svc-allow", "  private-key: " + key + "\n", "");
        Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit).isEqualTo(3);
        assertThat(c.err.lines()).hasSize(1);
        assertThat(c.err).contains("127.0.0.1", "source.network.bind-address");
        Path ok = job("jwt", "svc-allow", "  private-key: " + key + "\n", "network:\n  bind-address: 127.0.0.2\n");
        assertThat(capture(() -> Main.run("check", ok.toString())).exit).isZero();
    }

    // ---------------------------------------------------------------- tokens

    @Test
    void shortTokenTtlDuringALongReadFailsNoCall() {
        emu.setFaults(Faults.builder().tokenTtl(Duration.ofSeconds(2)).build());
        CountingMetrics m = new CountingMetrics();
        // 30 requests/s over ~150 pages: about five seconds, so the token must be renewed twice or more.
        try (BugfenderApi api = BugfenderApi.create(secret("cs-ttl").requestsPerSecond(30).build(), m)) {
            List<String> walked = walk(api, query(10));
            assertThat(walked).hasSizeGreaterThan(1000);
            assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(download(api, query(10)));
        }
        assertThat(m.tokens.get()).isGreaterThanOrEqualTo(3);
        assertThat(m.errors).isEmpty(); // no 401, nothing retried
    }

    @Test
    void anAbsurdTokenLifetimeSignsInAndIsRenewedWithinADay() {
        // expires_in: 9223372036854775807 once overflowed the cache's expiry instant and failed sign-in.
        emu.setFaults(Faults.builder().tokenTtl(Duration.ofSeconds(Long.MAX_VALUE)).build());
        CountingMetrics m = new CountingMetrics();
        // Its own client id: the request-rate budget is per client id and JVM, and cs-ttl's is fixed by its test.
        try (BugfenderApi api = BugfenderApi.create(secret("cs-long").build(), m)) {
            assertThat(api.apps()).hasSize(2);
            assertThat(api.count(query(100))).isPositive();
        }
        assertThat(m.tokens.get()).isEqualTo(1);
        assertThat(m.errors).isEmpty();
    }

    @Test
    void credentialsInTheUrlAreAConfigErrorThatNeverEchoesThem() throws Exception {
        String withUser = emu.baseUrl().replace("://", "://alice:pw-8c1e55@");
        assertThatThrownBy(() -> ClientSettings.builder().baseUrl(withUser)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.url").hasMessageNotContaining("pw-8c1e55").hasMessageNotContaining("alice");
        Path job = job("client-secret", "cs-1", "  client-secret: ${file:" + secretFile(SECRET) + "}\n", "");
        Files.writeString(job, Files.readString(job).replace(emu.baseUrl(), withUser));
        Captured c = capture(() -> Main.run("check", job.toString()));
        assertThat(c.exit).as(c.err).isEqualTo(2);
        assertThat(c.err.trim()).contains("source.url").doesNotContain("\n");
        assertThat(c.out + c.err).doesNotContain("pw-8c1e55");
    }

    @Test
    void a401TriggersOneSignInAndOneRetry() {
        CountingMetrics m = new CountingMetrics();
        AtomicInteger fetches = new AtomicInteger();
        ClientSettings s = secret("cs-1").build();
        try (HttpBugfenderApi api = HttpBugfenderApi.create(s, m, (settings, endpoint, clock) -> {
            TokenProvider real = TokenProviders.create(settings.auth(), settings.tokenUrl(), endpoint, clock);
            return new TokenProvider() {
                @Override
                public TokenResponse fetch() {
                    // The first token is one the server never issued: as if it had been revoked.
                    return fetches.incrementAndGet() == 1 ? new TokenResponse("revoked-token", Duration.ofHours(1), null)
                            : real.fetch();
                }

                @Override
                public String describe() {
                    return real.describe();
                }
            };
        })) {
            assertThat(api.apps()).hasSize(2);
            assertThat(api.apps()).hasSize(2);
        }
        assertThat(fetches).hasValue(2);
        assertThat(m.errors("http-401")).isEqualTo(1);
    }

    @Test
    void refreshTokenRotationSurvivesACrashAroundTheSave() throws Exception {
        Path rtFile = dir.resolve("rt");
        FileRefreshTokenStore disk = new FileRefreshTokenStore(rtFile);
        disk.save(exchangeCode());
        ClientSettings s = settings(AuthSettings.builder().method(AuthSettings.Method.REFRESH_TOKEN).clientId("int-1")
                .clientSecret(SecretRef.literal(INTEGRATION_SECRET)).refreshTokenFile(rtFile.toString()).build()).build();

        // 1. The process dies right after the save, before the new access token is used.
        String before = disk.read();
        List<String> issued = new CopyOnWriteArrayList<>();
        RefreshTokenStore crashAfterSave = new RefreshTokenStore() {
            @Override
            public String read() {
                return disk.read();
            }

            @Override
            public void save(String token) {
                issued.add(token);
                disk.save(token);
                throw new IllegalStateException("simulated crash after the save");
            }

            @Override
            public String describe() {
                return "crashing store";
            }
        };
        try (HttpBugfenderApi api = HttpBugfenderApi.create(s, null, (st, endpoint, clock) ->
                new RefreshTokenProvider("int-1", st.auth().clientSecret(), crashAfterSave, endpoint))) {
            assertThatThrownBy(api::apps).hasMessageContaining("simulated crash");
        }
        assertThat(issued).hasSize(1);
        assertThat(disk.read()).isEqualTo(issued.get(0)).isNotEqualTo(before);
        // The next run starts from the file and works: nothing was lost.
        try (BugfenderApi api = BugfenderApi.create(s, null)) {
            assertThat(api.apps()).hasSize(2);
        }

        // 2. The process dies between the server's answer and the end of the save.
        String onDisk = disk.read();
        AtomicInteger accessTokensHandedOut = new AtomicInteger();
        RefreshTokenStore crashBeforeRename = new RefreshTokenStore() {
            @Override
            public String read() {
                return disk.read();
            }

            @Override
            public void save(String token) {
                throw new IllegalStateException("simulated crash before the rename");
            }

            @Override
            public String describe() {
                return "crashing store";
            }
        };
        try (HttpBugfenderApi api = HttpBugfenderApi.create(s, null, (st, endpoint, clock) -> {
            TokenProvider p = new RefreshTokenProvider("int-1", st.auth().clientSecret(), crashBeforeRename, endpoint);
            return new TokenProvider() {
                @Override
                public TokenResponse fetch() {
                    TokenResponse r = p.fetch();
                    accessTokensHandedOut.incrementAndGet();
                    return r;
                }

                @Override
                public String describe() {
                    return p.describe();
                }
            };
        })) {
            assertThatThrownBy(api::apps).hasMessageContaining("simulated crash");
        }
        // The new access token was never used, and the old refresh token is on disk, whole.
        assertThat(accessTokensHandedOut).hasValue(0);
        assertThat(disk.read()).isEqualTo(onDisk);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    // ---------------------------------------------------------------- faults

    @Test
    void resetsServerErrorsAndCutOffBodiesLoseNoLogAndRepeatNone() {
        CountingMetrics m = new CountingMetrics();
        try (BugfenderApi api = BugfenderApi.create(secret("cs-faults").backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build(), m)) {
            List<String> truth = download(api, query(100));
            assertThat(truth).hasSizeGreaterThan(1000);
            emu.setFaults(Faults.builder().seed(3).resetEvery(5).serverErrorEvery(7).truncateEvery(4).build());
            List<String> walked = walk(api, query(100));
            assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(truth);
            assertThat(download(api, query(100))).containsExactlyElementsOf(truth);
            assertThat(api.count(query(100))).isEqualTo(truth.size());
        }
        assertThat(m.retries("reset")).isPositive();
        assertThat(m.retries("http-5xx")).isPositive();
        assertThat(m.retries("truncated")).isPositive();
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        CountingMetrics m = new CountingMetrics();
        try (BugfenderApi api = BugfenderApi.create(secret("cs-429").requestsPerSecond(1000).build(), m)) {
            List<String> truth = download(api, query(200));
            // About 60 pages against a budget of 20/s: the burst runs out and the server answers 429.
            emu.setFaults(Faults.builder().rateLimit(20).build());
            List<String> walked = walk(api, query(25));
            assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(truth);
        }
        assertThat(m.retries("http-429")).isPositive();
        assertThat(m.rateWaits).hasPositiveValue();
    }

    @Test
    void unreachableServiceIsANetworkErrorNamingTheUrl() {
        ClientSettings s = ClientSettings.builder().baseUrl("http://127.0.0.1:1")
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId("x")
                        .clientSecret(SecretRef.literal(SECRET)).build()).build();
        try (BugfenderApi api = BugfenderApi.create(s, null)) {
            assertThatThrownBy(api::apps).isInstanceOf(io.fendersec.error.NetworkException.class)
                    .hasMessageContaining("http://127.0.0.1:1/auth/token").hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void fixSnapshotKeepsTheLinksAndTheSizeOfTheFirstAnswerWithoutItsRecords() {
        try (BugfenderApi api = BugfenderApi.create(secret("cs-1").build(), null)) {
            LogPage full = api.firstPage(query(100));
            LogPage links = api.fixSnapshot(query(100));
            assertThat(links.records()).isEmpty();
            assertThat(links.size()).isEqualTo(full.records().size()).isEqualTo(100);
            assertThat(links.last()).isEqualTo(full.last());
            assertThat(links.next()).isEqualTo(full.next());
            assertThat(links.previous()).isEqualTo(full.previous());
            assertThat(api.page(links.last()).records()).isEqualTo(api.page(full.last()).records());
        }
    }

    @Test
    void cursorOnAnotherOriginIsNeverFetched() {
        try (BugfenderApi api = BugfenderApi.create(secret("cs-1").build(), null)) {
            assertThatThrownBy(() -> api.page("http://127.0.0.9:" + emu.port() + "/api/app/" + app + "/logs/paginated?cursor=x"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("source.url");
        }
    }

    // ---------------------------------------------------------------- secrets in logs

    @Test
    void debugLogsCarryNoSecretTokenOrAssertion() throws Exception {
        List<String> secrets = new CopyOnWriteArrayList<>(List.of(SECRET, INTEGRATION_SECRET));
        for (String line : Files.readAllLines(keys.resolve("private-key.pem"))) {
            if (!line.startsWith("-----") && line.length() > 20) {
                secrets.add(line);
            }
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        List<String> logged = new CopyOnWriteArrayList<>();
        AbstractAppender appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage()
                        + (event.getThrown() != null ? " " + event.getThrown() : ""));
            }
        };
        appender.start();
        cfg.addAppender(appender);
        cfg.getRootLogger().addAppender(appender, Level.ALL, null);
        Level before = cfg.getLoggerConfig("io.fendersec").getLevel();
        Configurator.setLevel("io.fendersec", Level.DEBUG);
        try {
            emu.setFaults(Faults.builder().seed(5).resetEvery(6).truncateEvery(5).serverErrorEvery(9).build());
            HttpBugfenderApi.TokenProviderFactory recording = (st, endpoint, clock) ->
                    TokenProviders.create(st.auth(), st.tokenUrl(), recordingEndpoint(endpoint, secrets), clock);
            try (HttpBugfenderApi api = HttpBugfenderApi.create(jwt("svc-jwt", keys.resolve("private-key.pem"))
                    .backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build(), null, recording)) {
                walk(api, query(500));
                download(api, query(500));
            }
            try (HttpBugfenderApi api = HttpBugfenderApi.create(secret("cs-1").build(), null, recording)) {
                api.apps();
            }
            Path rt = dir.resolve("rt");
            String code = authorizationCode("int-1");
            secrets.add(code);
            ClientSettings integration = settings(AuthSettings.builder().method(AuthSettings.Method.REFRESH_TOKEN)
                    .clientId("int-1").clientSecret(SecretRef.literal(INTEGRATION_SECRET)).refreshTokenFile(rt.toString())
                    .build()).build();
            try (HttpBugfenderApi api = HttpBugfenderApi.create(integration, null, recording)) {
                io.fendersec.auth.AuthorizationCode.exchange(code, "int-1", SecretRef.literal(INTEGRATION_SECRET),
                        new FileRefreshTokenStore(rt), recordingEndpoint(api.tokenEndpoint(), secrets));
                api.apps();
            }
            try (HttpBugfenderApi api = HttpBugfenderApi.create(secret("cs-1").build(), null,
                    (st, endpoint, clock) -> new TokenProvider() {
                        @Override
                        public TokenResponse fetch() {
                            return new TokenResponse("revoked-token-e3b0c442", Duration.ofHours(1), null);
                        }

                        @Override
                        public String describe() {
                            return "fake";
                        }
                    })) {
                secrets.add("revoked-token-e3b0c442");
                assertThatThrownBy(api::apps).isInstanceOf(AccessRefusedException.class)
                        .satisfies(e -> logged.add("exception " + e.getMessage()));
            }
        } finally {
            Configurator.setLevel("io.fendersec", before);
            cfg.getRootLogger().removeAppender("capture");
            appender.stop();
        }
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("requesting an access token"));
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("-> 200"));
        assertThat(secrets.size()).isGreaterThan(8); // assertions, access and refresh tokens were recorded
        for (String line : logged) {
            for (String secret : secrets) {
                assertThat(line).as("a log line carries a secret").doesNotContain(secret);
            }
        }
    }

    /** Records every secret that crosses the token endpoint: form secrets, assertions, issued tokens. */
    private static TokenEndpoint recordingEndpoint(TokenEndpoint real, List<String> secrets) {
        return (formSupplier, grant) -> {
            Map<String, String> form = formSupplier.get();
            for (String k : List.of("client_secret", "client_assertion", "refresh_token", "code")) {
                if (form.get(k) != null) {
                    secrets.add(form.get(k));
                }
            }
            TokenResponse r = real.request(() -> form, grant);
            secrets.add(r.accessToken());
            if (r.refreshToken() != null) {
                secrets.add(r.refreshToken());
            }
            return r;
        };
    }

    // ---------------------------------------------------------------- helpers

    /** Walks the snapshot oldest page first by the paging contract; returns the uuids in reading order. */
    static List<String> walk(BugfenderApi api, LogQuery q) {
        LogPage first = api.firstPage(q);
        String tail = PagingContract.tail(first);
        String url = PagingContract.start(first);
        List<String> uuids = new ArrayList<>();
        int pages = 0;
        while (url != null && !url.equals(tail)) {
            LogPage p = api.page(url);
            p.records().forEach(r -> uuids.add(r.uuid()));
            url = PagingContract.after(p);
            assertThat(++pages).isLessThan(100_000);
        }
        return uuids;
    }

    static List<String> download(BugfenderApi api, LogQuery q) {
        List<String> uuids = new ArrayList<>();
        api.download(q, (LogRecord r) -> uuids.add(r.uuid()));
        assertThat(new HashSet<>(uuids)).hasSameSizeAs(uuids);
        return uuids;
    }

    static LogQuery query(int pageSize) {
        return LogQuery.builder(app, FROM).to(END).pageSize(pageSize).build();
    }

    static ClientSettings.Builder settings(AuthSettings auth) {
        return ClientSettings.builder().baseUrl(emu.baseUrl()).auth(auth)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(20));
    }

    static ClientSettings.Builder jwt(String id, Path key) {
        return settings(AuthSettings.builder().method(AuthSettings.Method.JWT).clientId(id).privateKeyFile(key.toString()).build());
    }

    static ClientSettings.Builder secret(String id) {
        return settings(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(id)
                .clientSecret(SecretRef.literal(SECRET)).build());
    }

    private Path secretFile(String secret) throws Exception {
        Path f = dir.resolve("secret-" + secret.hashCode());
        Files.writeString(f, secret + "\n");
        return f;
    }

    private Path job(String method, String clientId, String authExtra, String sourceExtra) throws Exception {
        String yaml = "source:\n  url: " + emu.baseUrl() + "\n  auth:\n    method: " + method + "\n    client-id: " + clientId
                + "\n" + authExtra.replaceAll("(?m)^  ", "    ") + sourceExtra.replaceAll("(?m)^", "  ").replaceAll("  $", "")
                + "\nsinks: {}\n"; // other sections may be present; check reads only source
        Path f = dir.resolve("job-" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Plays the user: opens the authorize page and copies the code it shows. */
    static String authorizationCode(String clientId) throws Exception {
        URI url = io.fendersec.auth.AuthorizationCode.authorizeUrl(URI.create(emu.baseUrl()), clientId);
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("<code id=\"code\">([^<]+)</code>").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    private String exchangeCode() throws Exception {
        Path rt = dir.resolve("rt-login");
        ClientSettings s = settings(AuthSettings.builder().method(AuthSettings.Method.REFRESH_TOKEN).clientId("int-1")
                .clientSecret(SecretRef.literal(INTEGRATION_SECRET)).refreshTokenFile(rt.toString()).build()).build();
        try (HttpBugfenderApi api = HttpBugfenderApi.create(s, null)) {
            api.exchangeAuthorizationCode(authorizationCode("int-1"));
        }
        return new FileRefreshTokenStore(rt).read();
    }

    static int run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    record Captured(int exit, String out, String err) {}

    static Captured capture(java.util.function.IntSupplier command) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = command.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

}
