package io.fendersec.emulator;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import io.fendersec.emulator.auth.AddressAllowlist;
import io.fendersec.emulator.auth.AuthorizationServer;
import io.fendersec.emulator.auth.ClientAccount;
import io.fendersec.emulator.auth.ClientRegistry;
import io.fendersec.emulator.auth.JwtAssertionVerifier;
import io.fendersec.emulator.auth.TokenStore;
import io.fendersec.emulator.generate.ArrivalDelays;
import io.fendersec.emulator.generate.Dataset;
import io.fendersec.emulator.generate.DatasetGenerator;
import io.fendersec.emulator.generate.GeneratedApp;
import io.fendersec.emulator.generate.GeneratedLog;
import io.fendersec.emulator.generate.LiveScenario;
import io.fendersec.emulator.generate.LiveTraffic;
import io.fendersec.emulator.generate.ScenarioInjector;
import io.fendersec.model.ScenarioLabel;
import io.fendersec.model.ScenarioLabels;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.emulator.http.EmulatorHandler;
import io.fendersec.emulator.store.LogStore;
import io.fendersec.emulator.store.PagingLinks;
import io.fendersec.model.LogRecord;

/**
 * A Bugfender API emulator on a real HTTP port: auth server, apps, logs with arrival order, and
 * faults. Started from the command line ({@code fendersec emulator}) or in-process through
 * {@link #builder()}.
 */
public final class BugfenderEmulator implements AutoCloseable {
    private final Server server;
    private final LogStore store;
    private final EmulatorHandler handler;
    private final LiveTraffic live;
    private final Dataset dataset;
    private final List<ScenarioLabel> labels;
    private final ClientRegistry clients;
    private final TokenStore tokens;
    private final String publicUrl;
    private final int port;
    private final CountDownLatch closed = new CountDownLatch(1);

    private BugfenderEmulator(Builder b) throws IOException {
        Clock clock = b.clock;
        ScenarioInjector scenario = Scenarios.byName(b.scenario)
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + b.scenario + "' (known: " + Scenarios.names() + ")"));
        this.clients = new ClientRegistry(b.accounts);
        Instant end = b.end != null ? b.end : LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
        this.dataset = new DatasetGenerator(b.seed, b.apps, b.days, end, b.logsPerDay, b.arrivals, scenario).generate();
        // Live attacks are planned now, so their labels are known before their logs arrive.
        List<ScenarioLabel> allLabels = new ArrayList<>(dataset.labels());
        List<LiveScenario.Upload> uploads = new ArrayList<>();
        Instant started = clock.instant();
        for (LiveScenario s : Scenarios.live(b.scenario)) {
            SplittableRandom branch = new SplittableRandom(b.seed ^ (0x9E3779B97F4A7C15L * s.name().hashCode()));
            LiveScenario.Plan plan = s.plan(dataset, branch, started);
            uploads.addAll(plan.uploads());
            allLabels.addAll(plan.labels());
        }
        this.labels = List.copyOf(allLabels);
        if (b.labelsFile != null) {
            ScenarioLabels.write(b.labelsFile, labels);
        }
        this.store = new LogStore(b.pagingLinks);
        for (GeneratedApp app : dataset.apps()) {
            store.addApp(app.id(), app.name());
            List<LogRecord> records = new ArrayList<>();
            for (GeneratedLog l : dataset.logs(app.id())) {
                records.add(l.record());
            }
            store.append(app.id(), records);
        }

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("emulator-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        ServerConnector connector;
        if (b.tlsKeyStore != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(b.tlsKeyStore.toString());
            tls.setKeyStorePassword(b.tlsKeyStorePassword);
            HttpConfiguration https = new HttpConfiguration();
            https.addCustomizer(new SecureRequestCustomizer(false)); // SNI host check off: clients connect by IP
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server, 1, 1);
        }
        connector.setHost(b.bind);
        connector.setPort(b.port);
        server.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            Throwable cause = e instanceof BindException ? e : e.getCause();
            if (cause instanceof BindException) {
                throw new BindException("cannot listen on " + b.bind + ":" + b.port + ": " + cause.getMessage());
            }
            throw e;
        }
        this.port = connector.getLocalPort();
        this.publicUrl = stripSlash(b.publicUrl != null ? b.publicUrl
                : (b.tlsKeyStore != null ? "https://" : "http://") + hostForUrl(b.bind) + ":" + port);

        this.tokens = new TokenStore(clock, b.tokenTtl);
        JwtAssertionVerifier verifier = new JwtAssertionVerifier(publicUrl + "/auth/token", clock, clients);
        AuthorizationServer auth = new AuthorizationServer(clients, tokens, verifier, b.user);
        this.handler = new EmulatorHandler(publicUrl, store, auth, tokens, clock);
        handler.setFaults(b.faults);
        if (b.gzip) {
            GzipHandler gzip = new GzipHandler(handler);
            gzip.setMinGzipSize(0);
            gzip.addIncludedMimeTypes("application/json", "application/x-ndjson");
            server.setHandler(gzip);
        } else {
            server.setHandler(handler);
        }
        server.setErrorHandler(EmulatorHandler.errorHandler());
        server.setStopTimeout(2000);
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("the emulator's HTTP server did not start: " + e.getMessage(), e);
        }
        this.live = new LiveTraffic(dataset, b.liveRate, b.seed, clock, store::append, uploads);
        live.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many refresh grants succeeded so far (each retired the refresh token it redeemed). */
    public long refreshTokensRedeemed() {
        return tokens.refreshTokensRedeemed();
    }

    /** The public base URL, without a trailing slash (e.g. {@code http://127.0.0.1:8090}). */
    public String baseUrl() {
        return publicUrl;
    }

    /** {@code <base URL>/auth/token}: the token endpoint and the {@code aud} assertions must carry. */
    public String tokenUrl() {
        return publicUrl + "/auth/token";
    }

    /** The port actually bound (the ephemeral one when built with port 0). */
    public int port() {
        return port;
    }

    public List<EmulatorApp> apps() {
        List<EmulatorApp> out = new ArrayList<>();
        for (LogStore.App a : store.apps()) {
            out.add(new EmulatorApp(a.id(), a.name()));
        }
        return out;
    }

    /** The registered clients with their kind, e.g. {@code sa-1 (service account (JWT))}. */
    public List<String> clientDescriptions() {
        List<String> out = new ArrayList<>();
        for (ClientAccount a : clients.all()) {
            out.add(a.id() + " (" + a.kind() + ")");
        }
        return out;
    }

    /** The generated data set (apps, devices, logs in arrival order, scenario labels). */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * The ground truth of the injected scenario: one label per expected alert (empty for
     * {@code none}), the data set's and then those of live attacks planned at start.
     */
    public List<ScenarioLabel> labels() {
        return labels;
    }

    /** Adds an app with no logs to the running emulator. */
    public EmulatorApp addApp(String id, String name) {
        store.addApp(id, name);
        return new EmulatorApp(id, name);
    }

    /**
     * Logs arriving now at the running emulator, in this arrival order: they join tails at once,
     * and snapshots taken from now on. Each needs an RFC 3339 {@code time}; {@code app} is set to
     * {@code appId}.
     */
    public void append(String appId, List<LogRecord> logs) {
        store.append(appId, logs);
    }

    /** Switches faults on the running emulator, from the next request on. */
    public void setFaults(Faults faults) {
        handler.setFaults(Objects.requireNonNull(faults, "faults"));
    }

    /** Blocks until {@link #close()} is called. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        live.close();
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort; the port is released when the JVM ends at the latest
        } finally {
            closed.countDown();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    /** Configures and starts an emulator. Defaults: 127.0.0.1, ephemeral port, seed 42, 3 apps, 2 days, 50,000 logs/day. */
    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port;
        private String publicUrl;
        private long seed = 42;
        private int apps = 3;
        private int days = 2;
        private Instant end;
        private long logsPerDay = 50_000;
        private String scenario = "none";
        private Path labelsFile;
        private double liveRate;
        private Duration tokenTtl = Duration.ofHours(1);
        private String user;
        private Faults faults = Faults.none();
        private ArrivalDelays arrivals = ArrivalDelays.defaults();
        private Clock clock = Clock.systemUTC();
        private final List<ClientAccount> accounts = new ArrayList<>();
        private Path tlsKeyStore;
        private String tlsKeyStorePassword;
        private boolean gzip;
        private PagingLinks pagingLinks = PagingLinks.ALL;

        private Builder() {}

        /** Which snapshot pages carry {@code previous} (docs/bugfender-api.md, open question). Default: all. */
        public Builder pagingLinks(PagingLinks links) {
            this.pagingLinks = Objects.requireNonNull(links, "links");
            return this;
        }

        /**
         * Serves HTTPS instead of HTTP, with the key and certificate chain in this PKCS#12 or JKS key
         * store (its first key entry); the public URL becomes {@code https://<bind>:<port>}.
         */
        public Builder tls(Path keyStore, String password) {
            this.tlsKeyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.tlsKeyStorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Gzip-compresses JSON and NDJSON answers for clients that send {@code Accept-Encoding: gzip}. */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /** 0 = an ephemeral port (see {@link BugfenderEmulator#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /** The base URL clients use (and assertions' {@code aud} is checked against); null = {@code http://<bind>:<port>}. */
        public Builder publicUrl(String url) {
            this.publicUrl = url;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder apps(int apps) {
            this.apps = apps;
            return this;
        }

        public Builder days(int days) {
            this.days = days;
            return this;
        }

        /** End of the generated range (exclusive); null = the start of the current UTC day. */
        public Builder end(Instant end) {
            this.end = end;
            return this;
        }

        /** Logs per day in total, shared evenly by the apps. */
        public Builder logsPerDay(long logsPerDay) {
            this.logsPerDay = logsPerDay;
            return this;
        }

        /** {@code none}, {@code all}, an attack name or a comma list of them (see {@code Scenarios}). */
        public Builder scenario(String name) {
            this.scenario = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Writes the scenario's labels there as JSON lines when the emulator starts (null = don't). */
        public Builder labelsFile(Path file) {
            this.labelsFile = file;
            return this;
        }

        /** Logs per second arriving while the emulator runs; 0 = a static store. */
        public Builder liveRate(double logsPerSecond) {
            if (logsPerSecond < 0) {
                throw new IllegalArgumentException("live rate must not be negative");
            }
            this.liveRate = logsPerSecond;
            return this;
        }

        public Builder tokenTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("token TTL must be positive");
            }
            this.tokenTtl = ttl;
            return this;
        }

        /** The arrival delay distribution of generated logs. */
        public Builder arrivals(ArrivalDelays arrivals) {
            this.arrivals = Objects.requireNonNull(arrivals, "arrivals");
            return this;
        }

        /** The clock for token expiry, assertion checks and rate budgets (tests move it by hand). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A service account authenticating with JWT assertions signed by the key matching {@code publicKey}. */
        public Builder serviceAccount(String id, PublicKey publicKey, List<String> allowedCidrs) {
            accounts.add(new ClientAccount.ServiceAccount(id, publicKey, AddressAllowlist.of(allowedCidrs)));
            return this;
        }

        /** A service account authenticating with a client secret. */
        public Builder clientSecret(String id, String secret, List<String> allowedCidrs) {
            accounts.add(new ClientAccount.SecretClient(id, secret, AddressAllowlist.of(allowedCidrs)));
            return this;
        }

        /** An integration (authorization code grant) that may use only the out-of-band redirect. */
        public Builder integration(String id, String secret) {
            return integration(id, secret, List.of());
        }

        /** An integration with the redirect URIs it registered (the out-of-band one is always allowed). */
        public Builder integration(String id, String secret, List<String> redirectUris) {
            accounts.add(new ClientAccount.Integration(id, secret, redirectUris));
            return this;
        }

        /** The signed-in user who approves integrations at /auth/authorize. */
        public Builder user(String name) {
            this.user = name;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Generates the data, binds the port and starts serving. */
        public BugfenderEmulator start() throws IOException {
            return new BugfenderEmulator(this);
        }
    }
}
