package io.fendersec.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the {@code source} section of a job spec (kebab-case keys, see docs/api-client.md) into
 * {@link ClientSettings} and a {@link Scope}. Relative file paths are resolved against the job
 * file's folder; every error names the dotted key path. Used by {@code check} and {@code login};
 * the job package may route through it.
 */
public final class ClientSettingsYaml {
    private static final Set<String> SOURCE_KEYS = Set.of("url", "auth", "network", "apps", "from", "to");
    private static final Set<String> AUTH_KEYS = Set.of("method", "client-id", "private-key", "assertion-lifetime",
            "client-secret", "refresh-token-file");
    private static final Set<String> NETWORK_KEYS = Set.of("bind-address", "proxy", "trust-store", "trust-store-password");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private ClientSettingsYaml() {}

    /** What to read: the apps ({@code null} = all visible) and the device-time range. */
    public static final class Scope {
        private final List<String> apps;
        private final Instant from;
        private final Instant to;

        Scope(List<String> apps, Instant from, Instant to) {
            this.apps = apps == null ? null : List.copyOf(apps);
            this.from = from;
            this.to = to;
        }

        /** The configured app ids, or null for all the account can see. */
        public List<String> apps() {
            return apps;
        }

        public Instant from() {
            return from;
        }

        /** Exclusive end, or null when open. */
        public Instant to() {
            return to;
        }
    }

    public static ClientSettings fromSource(JsonNode source, Path jobDir) {
        requireObject(source, "source");
        checkKeys(source, SOURCE_KEYS, "source");
        ClientSettings.Builder b = ClientSettings.builder();
        b.baseUrl(text(source, "url", "source.url", true));
        b.auth(auth(source.get("auth"), jobDir));
        JsonNode net = source.get("network");
        if (net != null && !net.isNull()) {
            requireObject(net, "source.network");
            checkKeys(net, NETWORK_KEYS, "source.network");
            b.bindAddress(text(net, "bind-address", "source.network.bind-address", false));
            b.proxy(text(net, "proxy", "source.network.proxy", false));
            String store = text(net, "trust-store", "source.network.trust-store", false);
            String password = text(net, "trust-store-password", "source.network.trust-store-password", false);
            if (store != null) {
                b.trustStore(resolve(jobDir, store),
                        password == null ? null
                                : SecretRef.parse(password, "source.network.trust-store-password").relativeTo(jobDir));
            }
        }
        scope(source, Instant.now()); // validates apps/from/to now, so that every error shows up at once
        return b.build();
    }

    /** The apps and range of {@code source}; relative times count back from {@code now}; default last 24 h. */
    public static Scope scope(JsonNode source, Instant now) {
        List<String> apps = null;
        JsonNode a = source.get("apps");
        if (a != null && !a.isNull()) {
            List<String> ids = new ArrayList<>();
            if (a.isTextual()) {
                ids.add(a.asText());
            } else if (a.isArray()) {
                for (JsonNode n : a) {
                    if (!n.isValueNode() || n.isNull()) {
                        throw new ConfigException("source.apps: expected [all] or a list of app ids, found " + n);
                    }
                    ids.add(n.asText());
                }
            } else {
                throw new ConfigException("source.apps: expected [all] or a list of app ids");
            }
            if (!(ids.size() == 1 && ids.get(0).equals("all"))) {
                if (ids.isEmpty() || ids.contains("all")) {
                    throw new ConfigException("source.apps: expected [all] or a non-empty list of app ids, not both");
                }
                apps = ids;
            }
        }
        Instant from = time(source, "from", now);
        Instant to = time(source, "to", now);
        if (from == null) {
            from = (to != null ? to : now).minus(Duration.ofHours(24));
        }
        if (to != null && !to.isAfter(from)) {
            throw new ConfigException("source.to: " + to + " must be after source.from " + from);
        }
        return new Scope(apps, from, to);
    }

    private static AuthSettings auth(JsonNode auth, Path jobDir) {
        if (auth == null || auth.isNull()) {
            throw new ConfigException("source.auth: expected a section with method and client-id");
        }
        requireObject(auth, "source.auth");
        checkKeys(auth, AUTH_KEYS, "source.auth");
        AuthSettings.Builder b = AuthSettings.builder();
        String method = text(auth, "method", "source.auth.method", false);
        if (method != null) {
            b.method(method(method));
        }
        b.clientId(text(auth, "client-id", "source.auth.client-id", true));
        String key = text(auth, "private-key", "source.auth.private-key", false);
        if (key != null) {
            b.privateKeyFile(resolve(jobDir, key));
        }
        String lifetime = text(auth, "assertion-lifetime", "source.auth.assertion-lifetime", false);
        if (lifetime != null) {
            b.assertionLifetime(duration(lifetime, "source.auth.assertion-lifetime"));
        }
        String secret = text(auth, "client-secret", "source.auth.client-secret", false);
        if (secret != null) {
            b.clientSecret(SecretRef.parse(secret, "source.auth.client-secret").relativeTo(jobDir));
        }
        String refresh = text(auth, "refresh-token-file", "source.auth.refresh-token-file", false);
        if (refresh != null) {
            b.refreshTokenFile(resolve(jobDir, refresh));
        }
        return b.build();
    }

    private static AuthSettings.Method method(String text) {
        for (AuthSettings.Method m : AuthSettings.Method.values()) {
            if (m.specName().equals(text.trim())) {
                return m;
            }
        }
        throw new ConfigException("source.auth.method: expected jwt, client-secret or refresh-token, got " + text);
    }

    static Duration duration(String text, String key) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key + ": expected a duration such as 60s, 2m or 500ms, got " + text);
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }

    private static Instant time(JsonNode source, String field, Instant now) {
        JsonNode n = source.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        String key = "source." + field;
        String t = n.asText().trim();
        if (t.equals("now")) {
            return now;
        }
        if (t.startsWith("-")) {
            return now.minus(duration(t.substring(1), key));
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": expected an RFC 3339 time such as 2026-11-27T00:00:00Z, or a relative"
                    + " one such as -24h or -7d, got " + t);
        }
    }

    private static String resolve(Path jobDir, String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() || jobDir == null ? p : jobDir.resolve(p)).normalize().toString();
    }

    private static String text(JsonNode parent, String field, String key, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new ConfigException(key + ": missing");
            }
            return null;
        }
        if (!n.isValueNode()) {
            throw new ConfigException(key + ": expected a single value, found a " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return n.asText();
    }

    private static void requireObject(JsonNode n, String key) {
        if (n == null || !n.isObject()) {
            throw new ConfigException(key + ": expected a section (a YAML mapping)");
        }
    }

    private static void checkKeys(JsonNode n, Set<String> known, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            String k = it.next().getKey();
            if (!known.contains(k)) {
                throw new ConfigException(prefix + "." + k + ": unknown key; expected one of "
                        + new java.util.TreeSet<>(known));
            }
        }
    }
}
