package io.fendersec.cli;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;
import io.fendersec.emulator.Faults;
import io.fendersec.emulator.auth.AddressAllowlist;
import io.fendersec.emulator.generate.Scenarios;
import io.fendersec.emulator.store.PagingLinks;
import io.fendersec.error.ConfigException;
import io.fendersec.model.Durations;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fendersec emulator}: serves the Bugfender API emulator until stopped. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = "Serve an offline Bugfender API emulator (see docs/emulator.md).")
final class EmulatorCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8090", description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--public-url", description = "Base URL clients use, and the audience of JWT assertions (default http://<bind>:<port>).")
    String publicUrl;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--apps", defaultValue = "3", description = "Number of apps. Default: ${DEFAULT-VALUE}.")
    int apps;

    @Option(names = "--days", defaultValue = "2", description = "Days of generated logs ending at --end. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--end", description = "End of the generated range, RFC 3339 (default: start of the current UTC day).")
    String end;

    @Option(names = "--logs-per-day", defaultValue = "50000", description = "Logs per day, in total over all apps. Default: ${DEFAULT-VALUE}.")
    long logsPerDay;

    @Option(names = "--scenario", defaultValue = "none",
            description = "Attacks to inject: none, all, or NAME[,NAME...] (see docs/emulator.md). Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--labels", paramLabel = "FILE", description = "Write the injected attacks' labels (expected alerts) as JSON lines.")
    Path labels;

    @Option(names = "--live-rate", defaultValue = "0", description = "New logs per second while running (0 = static store).")
    double liveRate;

    @Option(names = "--token-ttl", defaultValue = "3600", description = "Access token lifetime in seconds. Default: ${DEFAULT-VALUE}.")
    long tokenTtl;

    @Option(names = "--service-account", paramLabel = "ID:PUBLIC_KEY_PEM[:CIDR,...]",
            description = "Register a JWT service account (repeatable).")
    List<String> serviceAccounts = new ArrayList<>();

    @Option(names = "--client-secret", paramLabel = "ID:SECRET[:CIDR,...]", description = "Register a client-secret service account (repeatable).")
    List<String> clientSecrets = new ArrayList<>();

    @Option(names = "--integration", paramLabel = "ID:SECRET[:REDIRECT_URI,...]",
            description = "Register an integration (authorization code grant; repeatable) with the redirect URIs it may use"
                    + " (urn:ietf:wg:oauth:2.0:oob is always allowed).")
    List<String> integrations = new ArrayList<>();

    @Option(names = "--user", description = "The signed-in user who approves integrations at /auth/authorize.")
    String user;

    @Option(names = "--generate-keys", paramLabel = "DIR",
            description = "Write private-key.pem and public-key.pem into DIR and register the key as a service account.")
    Path generateKeys;

    @Option(names = "--generated-account", defaultValue = "demo-service-account",
            description = "Client id for the --generate-keys account. Default: ${DEFAULT-VALUE}.")
    String generatedAccount;

    @Option(names = "--latency", description = "Fault: delay per API request, a duration such as 50ms or 1s.")
    String latency;

    @Option(names = "--rate-limit", description = "Fault: API requests per second before 429 + Retry-After.")
    Double rateLimit;

    @Option(names = "--error-rate", description = "Fault: fraction of API requests answered 503.")
    Double errorRate;

    @Option(names = "--reset-rate", description = "Fault: fraction of API connections reset.")
    Double resetRate;

    @Option(names = "--truncate-rate", description = "Fault: fraction of API answers cut off before their Content-Length.")
    Double truncateRate;

    @Option(names = "--paging-links", defaultValue = "all", paramLabel = "all|first",
            description = "Which snapshot pages carry 'previous': all (each links the next newer page) or first "
                    + "(only the answer that fixed the snapshot; older pages link by 'next' alone). Default: ${DEFAULT-VALUE}.")
    String pagingLinks;

    @Option(names = "--fault-seed", defaultValue = "1", description = "Seed of the random faults. Default: ${DEFAULT-VALUE}.")
    long faultSeed;

    @Override
    public Integer call() throws Exception {
        BugfenderEmulator.Builder b = BugfenderEmulator.builder()
                .bind(bind).port(checkedPort()).publicUrl(publicUrl)
                .seed(seed).apps(nonNegative("--apps", apps)).days(nonNegative("--days", days)).end(endTime())
                .logsPerDay(nonNegative("--logs-per-day", logsPerDay)).scenario(scenario()).labelsFile(labels)
                .tokenTtl(Duration.ofSeconds(positive("--token-ttl", tokenTtl))).user(user)
                .faults(faults()).pagingLinks(pagingLinks());
        if (liveRate < 0) {
            throw new ConfigException("--live-rate must not be negative");
        }
        b.liveRate(liveRate);
        List<String> ids = new ArrayList<>();
        if (generateKeys != null) {
            try {
                PublicKey key = EmulatorKeys.generateInto(generateKeys).getPublic();
                b.serviceAccount(generatedAccount, key, List.of());
                ids.add(generatedAccount);
            } catch (IOException e) {
                throw new ConfigException("--generate-keys: cannot write keys into " + generateKeys + ": " + e.getMessage());
            }
        }
        for (String spec : serviceAccounts) {
            String[] p = splitSpec("--service-account", spec, 3);
            PublicKey key;
            try {
                key = EmulatorKeys.readPublicKey(Path.of(p[1]));
            } catch (IOException e) {
                throw new ConfigException("--service-account " + p[0] + ": cannot read public key file " + p[1] + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--service-account " + p[0] + ": " + p[1] + " is " + e.getMessage());
            }
            b.serviceAccount(p[0], key, cidrs("--service-account " + p[0], p[2]));
            ids.add(p[0]);
        }
        for (String spec : clientSecrets) {
            String[] p = splitSpec("--client-secret", spec, 3);
            b.clientSecret(p[0], p[1], cidrs("--client-secret " + p[0], p[2]));
            ids.add(p[0]);
        }
        for (String spec : integrations) {
            String[] p = splitSpec("--integration", spec, 3);
            b.integration(p[0], p[1], redirectUris("--integration " + p[0], p[2]));
            ids.add(p[0]);
        }
        if (ids.size() != ids.stream().distinct().count()) {
            throw new ConfigException("client ids must be unique: " + ids);
        }
        BugfenderEmulator emu;
        try {
            emu = b.start();
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw new ConfigException("--labels: cannot write " + labels + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw listenError(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emu::close, "emulator-shutdown"));
        System.out.println("Bugfender emulator serving " + emu.baseUrl() + " (token URL " + emu.tokenUrl() + ", "
                + emu.apps().size() + " apps); clients: " + (ids.isEmpty() ? "none" : String.join(", ", emu.clientDescriptions()))
                + (generateKeys != null ? "; keys in " + generateKeys.toAbsolutePath() : "")
                + (labels != null ? "; " + emu.labels().size() + " labels in " + labels.toAbsolutePath() : ""));
        System.out.flush();
        emu.awaitClose();
        return 0;
    }

    /** A server that could not listen: a configuration error naming --bind or --port when that is the cause. */
    private RuntimeException listenError(Exception e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException
                    || t instanceof java.nio.channels.UnsupportedAddressTypeException) {
                return new ConfigException("--bind " + bind + ": not an IP address or host name of this machine");
            }
            if (t instanceof BindException) {
                if (String.valueOf(t.getMessage()).contains("Cannot assign requested address")) {
                    return new ConfigException("--bind " + bind + ": not an address of this machine (" + t.getMessage() + ")");
                }
                return new ConfigException("--port " + port + ": " + t.getMessage() + " (address in use? choose another --port)");
            }
        }
        if (e instanceof IOException) {
            throw (IOException) e;
        }
        return (RuntimeException) e;
    }

    private int checkedPort() {
        if (port < 0 || port > 65535) {
            throw new ConfigException("--port must be 0..65535, not " + port);
        }
        return port;
    }

    private Instant endTime() {
        if (end == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(end).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException("--end must be an RFC 3339 date-time like 2026-11-28T00:00:00Z, not '" + end + "'");
        }
    }

    private String scenario() {
        if (Scenarios.byName(scenario).isEmpty()) {
            throw new ConfigException("--scenario must be none, all or a comma list of " + Scenarios.attacks()
                    + " and the live " + Scenarios.liveAttacks() + ", not '" + scenario + "'");
        }
        return scenario;
    }

    private PagingLinks pagingLinks() {
        try {
            return PagingLinks.parse(pagingLinks);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--paging-links: " + e.getMessage());
        }
    }

    private Faults faults() {
        Faults.Builder f = Faults.builder().seed(faultSeed);
        try {
            if (latency != null) {
                f.latency(Durations.require("--latency", latency));
            }
            if (rateLimit != null) {
                f.rateLimit(rateLimit);
            }
            if (errorRate != null) {
                f.serverErrorRate(errorRate);
            }
            if (resetRate != null) {
                f.resetRate(resetRate);
            }
            if (truncateRate != null) {
                f.truncateRate(truncateRate);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("fault option: " + e.getMessage());
        }
        return f.build();
    }

    /**
     * Splits {@code ID:VALUE[:CIDRS]}: the id up to the first colon, the value up to the next one,
     * and the rest (which may hold IPv6 colons) as the CIDR list.
     */
    private static String[] splitSpec(String option, String spec, int parts) {
        int first = spec.indexOf(':');
        if (first <= 0 || first == spec.length() - 1) {
            throw new ConfigException(option + " must look like " + form(option) + ", not '" + redact(spec) + "'");
        }
        String id = spec.substring(0, first);
        String rest = spec.substring(first + 1);
        if (parts == 2) {
            return new String[] {id, rest};
        }
        int second = rest.indexOf(':');
        return second < 0 ? new String[] {id, rest, null} : new String[] {id, rest.substring(0, second), rest.substring(second + 1)};
    }

    private static String form(String option) {
        switch (option) {
            case "--service-account":
                return "ID:PUBLIC_KEY_PEM[:CIDR,...]";
            case "--integration":
                return "ID:SECRET[:REDIRECT_URI,...]";
            default:
                return "ID:SECRET[:CIDR,...]";
        }
    }

    /**
     * The allowlist after a secret. Nothing of it is echoed: a secret that itself holds a ':'
     * would be split there, and its tail would be taken for the list.
     */
    private static List<String> cidrs(String option, String list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        List<String> cidrs = Arrays.asList(list.split(","));
        for (int i = 0; i < cidrs.size(); i++) {
            try {
                AddressAllowlist.of(List.of(cidrs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(option + ": entry " + (i + 1) + " of the list after the secret is not a CIDR range"
                        + " (entries are not shown: a secret containing ':' would be split into them)");
            }
        }
        return cidrs;
    }

    /** The redirect URIs after an integration's secret: absolute URIs; like CIDRs, never echoed. */
    private static List<String> redirectUris(String option, String list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        List<String> uris = Arrays.asList(list.split(","));
        for (int i = 0; i < uris.size(); i++) {
            try {
                if (!java.net.URI.create(uris.get(i)).isAbsolute()) {
                    throw new IllegalArgumentException("relative");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(option + ": entry " + (i + 1) + " of the list after the secret is not an absolute"
                        + " redirect URI (entries are not shown: a secret containing ':' would be split into them)");
            }
        }
        return uris;
    }

    /** Specs carry secrets: an error shows only the id, and nothing of a spec without one. */
    private static String redact(String spec) {
        int colon = spec.indexOf(':');
        return colon <= 0 ? "***" : spec.substring(0, colon) + ":***";
    }

    private static int nonNegative(String option, int v) {
        if (v < 0) {
            throw new ConfigException(option + " must not be negative");
        }
        return v;
    }

    private static long nonNegative(String option, long v) {
        if (v < 0) {
            throw new ConfigException(option + " must not be negative");
        }
        return v;
    }

    private static long positive(String option, long v) {
        if (v <= 0) {
            throw new ConfigException(option + " must be positive");
        }
        return v;
    }
}
