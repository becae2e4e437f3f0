package io.fendersec.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import io.fendersec.api.ClientSettings;
import io.fendersec.api.LogQuery;
import io.fendersec.api.ResponseLimits;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.detect.files.RuleFiles;
import io.fendersec.error.ConfigException;
import io.fendersec.report.DashboardLinks;
import io.fendersec.job.spec.SpecErrors;
import io.fendersec.job.spec.SpecNode;
import io.fendersec.job.spec.TimeExpression;
import io.fendersec.source.ReadMode;
import io.fendersec.source.SourceSettings;

/**
 * Reads a job spec (YAML, kebab-case keys) into a {@link JobSpec}, finding every error in one
 * pass. {@link #read} throws one {@link ConfigException} listing them all, each naming the
 * dotted key path and the expected form.
 *
 * <p>With {@link #checkReferences(boolean)} (what {@code fendersec validate} does) it also checks
 * what the spec points to: files exist and {@code ${env:}} references are set. Otherwise those
 * are checked where they are used, which for secrets is on the TaskManager.
 */
public final class JobSpecReader {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final List<String> sets = new ArrayList<>();
    private boolean checkReferences;

    /** Overrides a key before validation, as {@code --set source.page-size=500} does. */
    public JobSpecReader set(String assignment) {
        sets.add(assignment);
        return this;
    }

    public JobSpecReader checkReferences(boolean check) {
        this.checkReferences = check;
        return this;
    }

    public JobSpec read(Path file) {
        JsonNode tree;
        try (InputStream in = Files.newInputStream(file)) {
            tree = parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such job file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the job file (" + e.getMessage() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        return read(tree, file.toString(), dir);
    }

    /**
     * The job file's YAML as a tree, for a command that changes sections before reading it
     * ({@code fendersec hunt --job}); then {@link #read(JsonNode, String, Path)}.
     */
    public static JsonNode tree(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such job file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the job file (" + e.getMessage() + ")");
        }
    }

    /** Reads a spec shipped inside the jar (the demo job); relative paths resolve against {@code baseDir}. */
    public JobSpec readResource(String resource, Path baseDir) {
        try (InputStream in = JobSpecReader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(resource + ": not found inside the jar");
            }
            return read(parse(in, resource), resource, baseDir);
        } catch (IOException e) {
            throw new ConfigException(resource + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static JsonNode parse(InputStream in, String origin) throws IOException {
        byte[] bytes = in.readAllBytes();
        try {
            int alias = aliasLine(bytes);
            if (alias > 0) {
                throw new ConfigException(origin + ": line " + alias + ": YAML aliases (*name) are not supported in "
                        + "job files: write the value out");
            }
            JsonNode n = YAML.readTree(bytes);
            return n == null ? YAML.createObjectNode() : n;
        } catch (JsonProcessingException e) {
            throw new ConfigException(yamlError(origin, e), e);
        }
    }

    /**
     * One line, "FILE:LINE:COLUMN: not valid YAML: what is wrong". SnakeYAML's own message spans
     * several lines (context, a copy of the line, a caret); the cause keeps it for --verbose.
     */
    static String yamlError(String origin, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException) {
                org.yaml.snakeyaml.error.MarkedYAMLException m = (org.yaml.snakeyaml.error.MarkedYAMLException) t;
                org.yaml.snakeyaml.error.Mark at = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
                String problem = m.getProblem() != null ? m.getProblem() : m.getContext();
                String context = m.getContext() != null && m.getProblem() != null ? "(" + m.getContext()
                        + (m.getContextMark() != null ? " at " + (m.getContextMark().getLine() + 1) + ":"
                                + (m.getContextMark().getColumn() + 1) : "") + ")" : "";
                return origin + (at == null ? "" : ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1))
                        + ": not valid YAML: " + oneLine(problem) + (context.isEmpty() ? "" : " " + oneLine(context));
            }
        }
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return origin + where + ": not valid YAML: " + oneLine(message.lines().findFirst().orElse(message));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /**
     * The line of the first YAML alias, or 0. Jackson hands an alias over as the plain text of the
     * anchor's name, so {@code client-id: *u} would read as the client id "u": refused instead.
     */
    private static int aliasLine(byte[] yaml) throws IOException {
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            while (p.nextToken() != null) {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    return p.currentTokenLocation().getLineNr();
                }
            }
        }
        return 0;
    }

    /** Reads a spec given as a tree; {@code origin} names it in errors, relative paths resolve against {@code baseDir}. */
    public JobSpec read(JsonNode tree, String origin, Path baseDir) {
        SpecErrors errors = new SpecErrors(origin);
        if (!tree.isObject()) {
            errors.add("", "expected a mapping with a source section at the top");
            errors.throwIfAny();
        }
        applySets((ObjectNode) tree, errors);
        SpecNode root = SpecNode.root(tree, errors, baseDir);
        root.allowOnly("source", "normalize", "enrich", "rules", "sinks", "checkpointing", "state", "parallelism",
                "report");

        SourceSpec source = readSource(root.section("source", true));
        NormalizeSpec normalize = readNormalize(root.section("normalize", false));
        EnrichSpec enrich = EnrichSpec.read(root.section("enrich", false));
        RulesSpec rules = readRules(root, root.section("rules", false));
        SinksSpec sinks = new AlertSinkSpecReader(checkReferences).sinks(root.section("sinks", false));
        CheckpointSpec checkpointing = readState(readCheckpointing(root.section("checkpointing", false)),
                root.section("state", false));
        int parallelism = root.integer("parallelism", 1, 1, 1024);
        DashboardLinks dashboard = readReport(root.section("report", false));

        if (source != null && source.archive != null && sinks.archivePath != null
                && sameFolder(source.archive.dir(), sinks.archivePath)) {
            errors.add("sinks.archive.path", "the folder source.archive.dir reads: a hunt would read the logs it writes;"
                    + " archive elsewhere or remove sinks.archive");
        }
        if (errors.isEmpty()) {
            try {
                normalize.compile().withEnrichment(enrich.enrichment()); // a joined field an extractor also writes
            } catch (ConfigException e) {
                errors.add("", e.getMessage());
            }
        }
        errors.throwIfAny();
        return new JobSpec(origin, baseDir, source, normalize, enrich, rules, sinks, checkpointing,
                parallelism, dashboard);
    }

    private static boolean sameFolder(String a, String b) {
        try {
            return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return a.equals(b);
        }
    }

    /** {@code report}: settings of {@code fendersec report} for this job's alerts; only {@code dashboard-url} for now. */
    private static DashboardLinks readReport(SpecNode r) {
        if (r == null) {
            return null;
        }
        r.allowOnly("dashboard-url");
        String url = r.string("dashboard-url", null, false, "an http(s) URL template with {app}, {device}, {log}");
        if (url == null) {
            return null;
        }
        String problem = DashboardLinks.problem(url);
        if (problem != null) {
            r.errors().add(r.pathOf("dashboard-url"), problem);
            return null;
        }
        return DashboardLinks.parse(url, r.pathOf("dashboard-url"));
    }

    private void applySets(ObjectNode tree, SpecErrors errors) {
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                errors.add("--set " + s, "expected key.path=value");
                continue;
            }
            String[] keys = s.substring(0, eq).trim().split("\\.");
            ObjectNode at = tree;
            for (int i = 0; i < keys.length - 1; i++) {
                JsonNode next = at.get(keys[i]);
                if (next == null || !next.isObject()) {
                    next = at.putObject(keys[i]);
                }
                at = (ObjectNode) next;
            }
            String value = s.substring(eq + 1);
            try {
                // Typed as YAML types it: 500 is a number, true a boolean, [a, b] a list.
                // ... except an alias (--set rules.sigma=*.yml): that is meant as the text itself.
                byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                at.set(keys[keys.length - 1], value.isEmpty() ? YAML.nullNode()
                        : aliasLine(b) > 0 ? YAML.getNodeFactory().textNode(value) : YAML.readTree(b));
            } catch (IOException e) {
                at.put(keys[keys.length - 1], value);
            }
        }
    }

    private SourceSpec readSource(SpecNode s) {
        if (s == null) {
            return null;
        }
        s.allowOnly("type", "archive", "url", "auth", "network", "limits", "apps", "from", "to", "mode", "slice",
                "page-size", "poll-interval", "discovery-interval", "max-out-of-orderness", "idleness", "max-clock-skew",
                "emulator");
        if ("archive".equals(s.oneOf("type", "bugfender", "bugfender", "archive"))) {
            return readArchiveSource(s);
        }
        if (s.has("archive")) {
            s.errors().add(s.pathOf("archive"), "only read with source.type: archive; add it, or remove this section");
        }
        // The source's own settings model checks each value (and names its key); absent keys keep its defaults.
        SourceSettings.Builder settings = SourceSettings.builder();
        String mode = s.oneOf("mode", null, "bounded", "continuous");
        boolean continuous = "continuous".equals(mode);
        if (mode != null) {
            settings.mode(continuous ? ReadMode.CONTINUOUS : ReadMode.BOUNDED);
        }
        EmulatorSpec emulator = readEmulator(s.section("emulator", false));

        ClientSettings client = null;
        if (emulator != null) {
            for (String k : new String[] {"url", "auth", "network", "limits"}) {
                if (s.has(k)) {
                    s.errors().add(s.pathOf(k), "not used with source.emulator, which supplies its own; remove one of them");
                }
            }
        } else {
            client = readClient(s);
        }

        List<String> apps = s.strings("apps", List.of("all"));
        if (apps.contains("all")) {
            if (apps.size() > 1) {
                s.errors().add(s.pathOf("apps"), "expected [all] or a list of app ids, not both");
            }
        } else {
            apply(s, () -> settings.apps(apps));
        }

        // Absent: the last 24 hours (or, with source.emulator, the generated data's range).
        TimeExpression from = s.time("from", null, false);
        TimeExpression to = s.time("to", null, false);
        if (continuous && s.has("to")) {
            s.errors().add(s.pathOf("to"), "a continuous read has no end; remove it or use mode: bounded");
        }
        if (from != null && to != null && from.isAbsolute() && to.isAbsolute()
                && !to.resolve(Instant.EPOCH).isAfter(from.resolve(Instant.EPOCH))) {
            s.errors().add(s.pathOf("to"), "expected a time after source.from (" + from + "), got " + to);
        }
        int pageSize = s.integer("page-size", SourceSettings.DEFAULT_PAGE_SIZE, 1, LogQuery.MAX_PAGE_SIZE);
        apply(s, () -> settings.pageSize(pageSize));
        applyDuration(s, "slice", settings::slice);
        applyDuration(s, "poll-interval", settings::pollInterval);
        applyDuration(s, "discovery-interval", settings::discoveryInterval);
        applyDuration(s, "max-out-of-orderness", settings::maxOutOfOrderness);
        applyDuration(s, "idleness", settings::idleness);
        applyDuration(s, "max-clock-skew", settings::maxClockSkew);
        return new SourceSpec(client, from, to, settings.build(), emulator);
    }

    /** Keys of {@code source} that tell how to read the API: no use to a hunt in the archive. */
    private static final List<String> API_ONLY = List.of("url", "auth", "network", "limits", "mode", "slice",
            "page-size", "poll-interval", "discovery-interval", "max-out-of-orderness", "idleness", "max-clock-skew",
            "emulator");

    /**
     * {@code source.type: archive}: a bounded read of a raw-log archive ({@code source.archive.dir},
     * what a job's {@code sinks.archive.path} wrote) over {@code source.from}/{@code to}, with
     * {@code source.apps}; the API's own keys are refused rather than ignored.
     */
    private SourceSpec readArchiveSource(SpecNode s) {
        for (String k : API_ONLY) {
            if (s.has(k)) {
                s.errors().add(s.pathOf(k), "not used with source.type: archive, which reads the archive's files, not "
                        + "the API; remove it");
            }
        }
        SpecNode a = s.section("archive", true);
        String dir = null;
        int maxLine = io.fendersec.source.archive.ArchiveSettings.DEFAULT_MAX_LINE_BYTES;
        if (a != null) {
            a.allowOnly("dir", "max-line-bytes");
            dir = a.string("dir", null, true, "the folder a job's sinks.archive.path wrote, e.g. /var/lib/fendersec/archive");
            maxLine = a.integer("max-line-bytes", maxLine, 1024, Integer.MAX_VALUE);
            if (dir != null && !dir.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                dir = a.resolve(dir).toString(); // relative to the job file's folder, as every path of a job file
            }
            if (dir != null && checkReferences && !dir.contains("://") && !Files.isDirectory(Path.of(dir))) {
                a.errors().add(a.pathOf("dir"), "no such folder: " + dir);
            }
        }
        List<String> apps = s.strings("apps", List.of("all"));
        if (apps.contains("all") && apps.size() > 1) {
            s.errors().add(s.pathOf("apps"), "expected [all] or a list of app ids, not both");
        }
        TimeExpression from = s.time("from", null, false);
        TimeExpression to = s.time("to", null, false);
        if (from != null && to != null && from.isAbsolute() && to.isAbsolute()
                && !to.resolve(Instant.EPOCH).isAfter(from.resolve(Instant.EPOCH))) {
            s.errors().add(s.pathOf("to"), "expected a time after source.from (" + from + "), got " + to);
        }
        io.fendersec.source.archive.ArchiveSettings archive = null;
        if (dir != null) {
            try {
                archive = io.fendersec.source.archive.ArchiveSettings.of(dir,
                        apps.contains("all") ? List.of() : apps, maxLine);
            } catch (ConfigException e) {
                s.errors().add("", e.getMessage());
            }
        }
        return new SourceSpec(null, from, to, SourceSettings.builder().build(), null, archive);
    }

    /** Sets a duration the spec gives (a value it cannot parse is already an error; absent keeps the default). */
    private static void applyDuration(SpecNode s, String key, java.util.function.Consumer<Duration> setter) {
        Duration d = s.duration(key, null);
        if (d != null) {
            apply(s, () -> setter.accept(d));
        }
    }

    /** Runs a setter of a validating builder, recording its refusal (which names the key) among the spec's errors. */
    private static void apply(SpecNode s, Runnable setter) {
        try {
            setter.run();
        } catch (ConfigException e) {
            s.errors().add("", e.getMessage());
        }
    }

    private static Duration positive(SpecNode s, String key, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            s.errors().add(s.pathOf(key), "expected a duration above zero");
        }
        return d;
    }

    private ClientSettings readClient(SpecNode s) {
        String url = s.string("url", null, true, "the Bugfender base URL, e.g. https://dashboard.bugfender.com");
        SpecNode auth = s.section("auth", true);
        SpecNode net = s.section("network", false);
        ResponseLimits limits = readLimits(s.section("limits", false));
        AuthSettings authSettings = auth == null ? null : readAuth(auth);
        if (url == null || authSettings == null) {
            if (net != null) {
                readNetwork(net, null);
            }
            return null;
        }
        try {
            ClientSettings.Builder b = ClientSettings.builder().baseUrl(url).auth(authSettings);
            if (limits != null) {
                b.limits(limits);
            }
            if (net != null) {
                readNetwork(net, b);
            }
            return b.build();
        } catch (ConfigException e) {
            s.errors().add("", e.getMessage());
            return null;
        }
    }

    /** {@code source.limits}: what the client accepts from the server; absent keys keep their defaults. */
    private ResponseLimits readLimits(SpecNode l) {
        if (l == null) {
            return null;
        }
        l.allowOnly("max-page-bytes", "max-line-bytes", "max-json-depth");
        long page = l.longValue("max-page-bytes", ResponseLimits.DEFAULT_MAX_PAGE_BYTES, 1024);
        int line = l.integer("max-line-bytes", ResponseLimits.DEFAULT_MAX_LINE_BYTES, 1024, Integer.MAX_VALUE);
        int depth = l.integer("max-json-depth", ResponseLimits.DEFAULT_MAX_JSON_DEPTH, 4, 100_000);
        try {
            return ResponseLimits.of(page, line, depth);
        } catch (ConfigException e) {
            l.errors().add("", e.getMessage());
            return null;
        }
    }

    private void readNetwork(SpecNode n, ClientSettings.Builder b) {
        n.allowOnly("bind-address", "proxy", "trust-store", "trust-store-password", "connect-timeout", "read-timeout",
                "max-retries", "requests-per-second", "response-timeout");
        String bind = n.string("bind-address", null, false, "a local IP address such as 10.0.0.5");
        String proxy = n.string("proxy", null, false, "http://HOST:PORT");
        Path trust = n.file("trust-store", false, "the path of a PKCS#12 or JKS trust store");
        SecretRef trustPassword = n.secret("trust-store-password", false);
        Duration connect = n.duration("connect-timeout", null);
        Duration read = n.duration("read-timeout", null);
        Duration response = n.duration("response-timeout", null);
        int retries = n.integer("max-retries", 8, 0, 100);
        JsonNode rps = n.raw("requests-per-second");
        if (rps != null && !(rps.isNumber() && rps.asDouble() > 0)) {
            n.errors().add(n.pathOf("requests-per-second"), "expected a number above 0, got " + rps.asText());
            rps = null;
        }
        if (checkReferences && trust != null && !Files.isReadable(trust)) {
            n.errors().add(n.pathOf("trust-store"), "file " + trust + " does not exist or is not readable");
        }
        checkSecret(n, "trust-store-password", trustPassword);
        if (b == null) {
            return;
        }
        try {
            b.bindAddress(bind).proxy(proxy).maxRetries(retries);
            if (trust != null) {
                b.trustStore(trust.toString(), trustPassword);
            }
            if (connect != null) {
                b.connectTimeout(connect);
            }
            if (read != null) {
                b.readTimeout(read);
            }
            if (response != null) {
                b.responseTimeout(response);
            }
            if (rps != null) {
                b.requestsPerSecond(rps.asDouble());
            }
        } catch (ConfigException e) {
            n.errors().add("", e.getMessage());
        }
    }

    private AuthSettings readAuth(SpecNode a) {
        a.allowOnly("method", "client-id", "private-key", "assertion-lifetime", "client-secret", "refresh-token-file");
        String method = a.oneOf("method", "jwt", "jwt", "client-secret", "refresh-token");
        String clientId = a.string("client-id", null, true, "the service account's or integration's client id");
        Path key = a.file("private-key", false, "the path of a PEM RSA private key");
        Duration lifetime = a.duration("assertion-lifetime", AuthSettings.DEFAULT_ASSERTION_LIFETIME);
        SecretRef secret = a.secret("client-secret", false);
        Path refresh = a.file("refresh-token-file", false, "a file path");
        if (method == null) {
            return null;
        }
        AuthSettings.Method m = "jwt".equals(method) ? AuthSettings.Method.JWT
                : "client-secret".equals(method) ? AuthSettings.Method.CLIENT_SECRET : AuthSettings.Method.REFRESH_TOKEN;
        if (m != AuthSettings.Method.JWT && key != null) {
            a.errors().add(a.pathOf("private-key"), "only used with method: jwt");
        }
        if (m == AuthSettings.Method.JWT && secret != null) {
            a.errors().add(a.pathOf("client-secret"), "not used with method: jwt (the private key signs in)");
        }
        if (checkReferences && key != null && !Files.isReadable(key)) {
            a.errors().add(a.pathOf("private-key"), "file " + key + " does not exist or is not readable");
        }
        checkSecret(a, "client-secret", secret);
        try {
            return AuthSettings.builder().method(m).clientId(clientId)
                    .privateKeyFile(key == null ? null : key.toString())
                    .assertionLifetime(lifetime).clientSecret(secret)
                    .refreshTokenFile(refresh == null ? null : refresh.toString()).build();
        } catch (ConfigException e) {
            if (clientId != null) {
                a.errors().add("", e.getMessage());
            }
            return null;
        }
    }

    private void checkSecret(SpecNode n, String key, SecretRef ref) {
        if (!checkReferences || ref == null) {
            return;
        }
        try {
            ref.checkResolvable(n.pathOf(key));
        } catch (ConfigException e) {
            n.errors().add("", e.getMessage());
        }
    }

    private EmulatorSpec readEmulator(SpecNode e) {
        if (e == null) {
            return null;
        }
        e.allowOnly("seed", "scenario", "apps", "days", "end", "logs-per-day", "live-rate", "labels");
        long seed = e.longValue("seed", 42, Long.MIN_VALUE);
        String scenario = e.string("scenario", "none");
        int apps = e.integer("apps", 3, 1, 1000);
        int days = e.integer("days", 2, 1, 365);
        Instant end = null;
        String endText = e.string("end", null, false, "an RFC 3339 time");
        if (endText != null) {
            try {
                end = OffsetDateTime.parse(endText).toInstant();
            } catch (DateTimeParseException ex) {
                e.errors().add(e.pathOf("end"), "expected an RFC 3339 time such as 2026-11-28T00:00:00Z, got '" + endText + "'");
            }
        }
        int perDay = e.integer("logs-per-day", 50_000, 1, 100_000_000);
        JsonNode rate = e.raw("live-rate");
        double liveRate = 0;
        if (rate != null && !rate.isNull()) {
            if (!rate.isNumber() || rate.asDouble() < 0) {
                e.errors().add(e.pathOf("live-rate"), "expected logs per second, 0 or more, got " + rate.asText());
            } else {
                liveRate = rate.asDouble();
            }
        }
        Path labels = e.file("labels", false, "a file for the scenarios' ground truth (JSON lines)");
        return new EmulatorSpec(seed, scenario, apps, days, end, perDay, liveRate,
                labels == null ? null : labels.toString());
    }

    @SuppressWarnings("unchecked")
    private NormalizeSpec readNormalize(SpecNode n) {
        if (n == null) {
            return new NormalizeSpec(Map.of());
        }
        NormalizeSpec spec = new NormalizeSpec(YAML.convertValue(n.rawNode(), LinkedHashMap.class));
        try {
            spec.compile(); // RE2 patterns and selections are checked here, once
        } catch (ConfigException e) {
            n.errors().add("", e.getMessage());
        }
        return spec;
    }

    @SuppressWarnings("unchecked")
    private RulesSpec readRules(SpecNode root, SpecNode r) {
        if (r == null) {
            return new RulesSpec(List.of("all"), List.of(), List.of(), Map.of(), Duration.ofHours(1), Duration.ofHours(1),
                    Map.of());
        }
        r.allowOnly("builtin", "sigma", "sql", "overrides", "allowed-lateness", "suppression", "placeholders",
                "exceptions", "reload-interval", "pipelines", "max-groups");
        List<String> builtin = r.strings("builtin", List.of("all"));
        List<Path> sigma = ruleFiles(r, "sigma", RuleFiles.SIGMA);
        List<Path> sql = ruleFiles(r, "sql", RuleFiles.SQL);
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        SpecNode o = r.section("overrides", false);
        if (o != null) {
            for (java.util.Iterator<String> it = r.raw("overrides").fieldNames(); it.hasNext(); ) {
                String rule = it.next();
                JsonNode v = r.raw("overrides").get(rule);
                if (!v.isObject()) {
                    r.errors().add(o.pathOf(rule), "expected settings such as {threshold: 20, timespan: 15m}");
                } else {
                    overrides.put(rule, YAML.convertValue(v, LinkedHashMap.class));
                }
            }
        }
        Duration lateness = r.duration("allowed-lateness", Duration.ofHours(1));
        Duration suppression = r.duration("suppression", Duration.ofHours(1));
        // Values of the placeholders Sigma's expand modifier names: {Admins: [root, admin]}.
        Map<String, List<String>> placeholders = new LinkedHashMap<>();
        SpecNode ph = r.section("placeholders", false);
        if (ph != null) {
            for (java.util.Iterator<String> it = r.raw("placeholders").fieldNames(); it.hasNext(); ) {
                String name = it.next();
                List<String> values = ph.strings(name, List.of());
                if (values.isEmpty()) {
                    r.errors().add(ph.pathOf(name), "expected the placeholder's values, e.g. [root, admin]");
                }
                placeholders.put(name, values);
            }
        }
        Path exceptions = r.file("exceptions", false, "the path of an exceptions file, e.g. exceptions.yml");
        if (exceptions != null && !java.nio.file.Files.isRegularFile(exceptions)) {
            r.errors().add(r.pathOf("exceptions"), "no such file: " + exceptions
                    + " (a YAML file of exceptions; relative paths start at the job file's folder)");
            exceptions = null;
        }
        int maxGroups = r.integer("max-groups", io.fendersec.detect.rule.DetectionSettings.DEFAULT_MAX_GROUPS, 1,
                Integer.MAX_VALUE);
        return new RulesSpec(builtin, sigma, sql, overrides, lateness, suppression, placeholders, exceptions,
                r.strings("sigma", List.of()), reloadInterval(r), pipelines(r), maxGroups);
    }

    /**
     * {@code rules.pipelines}: pySigma processing pipelines, files relative to the job file's folder
     * or {@code builtin:NAME}, each read and checked here (an error names its entry).
     */
    private io.fendersec.detect.pipeline.Pipelines pipelines(SpecNode r) {
        List<String> refs = r.strings("pipelines", List.of());
        List<io.fendersec.detect.pipeline.ProcessingPipeline> out = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            try {
                out.add(io.fendersec.detect.pipeline.Pipelines.read(refs.get(i), r.baseDir() == null ? Path.of("") : r.baseDir()));
            } catch (ConfigException e) {
                r.errors().add(r.pathOf("pipelines") + "[" + i + "]", e.getMessage());
            }
        }
        return io.fendersec.detect.pipeline.Pipelines.of(out);
    }

    /** {@code rules.reload-interval}: a positive duration, or {@code off}. */
    private static Duration reloadInterval(SpecNode r) {
        String expected = "a duration such as 30s or 1m, or off";
        JsonNode raw = r.raw("reload-interval");
        if (raw != null && raw.isBoolean() && !raw.asBoolean()) {
            return null; // YAML 1.1 reads a bare off as false
        }
        String s = r.string("reload-interval", null, false, expected);
        if (s == null) {
            return RulesSpec.DEFAULT_RELOAD_INTERVAL; // absent, or already reported
        }
        if ("off".equalsIgnoreCase(s)) {
            return null;
        }
        Duration d = io.fendersec.model.Durations.parse(s);
        if (d == null) {
            r.errors().add(r.pathOf("reload-interval"), "expected " + expected + ", got '" + s + "'");
            return RulesSpec.DEFAULT_RELOAD_INTERVAL;
        }
        return positive(r, "reload-interval", d);
    }

    /**
     * The files of {@code rules.sigma} or {@code rules.sql}, expanded here once (by {@link RuleFiles},
     * against the job's folder): later stages read exactly these files.
     */
    private static List<Path> ruleFiles(SpecNode r, String key, List<String> folderExtensions) {
        List<Path> out = new ArrayList<>();
        List<String> patterns = r.strings(key, List.of());
        Path base = r.baseDir() == null ? Path.of("") : r.baseDir();
        for (int i = 0; i < patterns.size(); i++) {
            String path = r.pathOf(key) + (patterns.size() > 1 ? "[" + i + "]" : "");
            try {
                out.addAll(RuleFiles.expand(base, patterns.get(i), folderExtensions));
            } catch (ConfigException e) {
                r.errors().add(path, e.getMessage());
            }
        }
        return out;
    }

    /** {@code state}: {@code backend} (hashmap | rocksdb, default hashmap) and {@code incremental} (default true). */
    private static CheckpointSpec readState(CheckpointSpec checkpointing, SpecNode s) {
        if (s == null) {
            return checkpointing;
        }
        s.allowOnly("backend", "incremental");
        String name = s.string("backend", "hashmap", false, "hashmap or rocksdb");
        CheckpointSpec.Backend backend = CheckpointSpec.Backend.HASHMAP;
        switch (name == null ? "hashmap" : name.toLowerCase(java.util.Locale.ROOT)) {
            case "hashmap" -> backend = CheckpointSpec.Backend.HASHMAP;
            case "rocksdb" -> backend = CheckpointSpec.Backend.ROCKSDB;
            default -> s.errors().add(s.pathOf("backend"), "unknown state backend '" + name
                    + "': expected hashmap (on the heap) or rocksdb (on local disk, for state larger than memory)");
        }
        boolean incremental = true;
        JsonNode inc = s.raw("incremental");
        if (inc != null && !inc.isNull()) {
            if (inc.isBoolean()) {
                incremental = inc.asBoolean();
            } else {
                s.errors().add(s.pathOf("incremental"), "expected true or false");
            }
        }
        return new CheckpointSpec(checkpointing.interval, checkpointing.dir, backend, incremental);
    }

    private CheckpointSpec readCheckpointing(SpecNode c) {
        if (c == null) {
            return new CheckpointSpec(Duration.ofSeconds(10), null);
        }
        c.allowOnly("interval", "dir");
        Duration interval = positive(c, "interval", c.duration("interval", Duration.ofSeconds(10)));
        String dir = c.string("dir", null, false, "a Flink file system URI such as file:///var/lib/fendersec/checkpoints");
        if (dir != null && !dir.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            // A bare path is a common slip; Flink wants a URI.
            dir = c.resolve(dir).toUri().toString();
        }
        return new CheckpointSpec(interval, dir);
    }
}
