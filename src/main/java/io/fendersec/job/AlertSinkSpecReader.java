package io.fendersec.job;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;
import io.fendersec.job.spec.SpecNode;
import io.fendersec.sink.KafkaSecrets;
import io.fendersec.sink.WebhookSettings;

/**
 * Reads the delivery entries of {@code sinks.alerts} ({@code type: jdbc | webhook | kafka}) into
 * {@link SinksSpec.AlertSinkSpec} settings. Keys stay as written (kebab-case); secrets stay
 * {@link SecretRef}s, resolved by the sink on the TaskManager. Every error names its dotted path.
 */
final class AlertSinkSpecReader {
    static final String DEFAULT_TABLE = "fendersec_alerts";
    static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "fendersec-alerts";

    /** A table name, optionally schema-qualified; plain identifiers only, so it can be spliced into SQL. */
    private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}");
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final boolean checkReferences;

    AlertSinkSpecReader(boolean checkReferences) {
        this.checkReferences = checkReferences;
    }

    Map<String, Object> jdbc(SpecNode x) {
        x.allowOnly("type", "url", "user", "password", "table", "batch-size", "batch-interval");
        Map<String, Object> out = new LinkedHashMap<>();
        String url = x.string("url", null, true, "a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/fendersec");
        if (url != null && !url.startsWith("jdbc:postgresql://")) {
            x.errors().add(x.pathOf("url"), "expected a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), got '"
                    + url + "'");
        } else if (url != null && url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            x.errors().add(x.pathOf("url"), "holds a password; put it in password: ${env:NAME} or ${file:PATH} instead");
        } else {
            put(out, "url", url);
        }
        put(out, "user", x.string("user", null, true, "the database user"));
        put(out, "password", secret(x, "password", false));
        String table = x.string("table", DEFAULT_TABLE, false, "a table name such as fendersec_alerts or alerts.fendersec");
        if (table != null && !TABLE.matcher(table).matches()) {
            x.errors().add(x.pathOf("table"), "expected a lower-case table name ([a-z_][a-z0-9_]*, optionally schema.table), got '"
                    + table + "'");
        } else {
            out.put("table", table);
        }
        out.put("batch-size", x.integer("batch-size", 100, 1, 10_000));
        out.put("batch-interval", positive(x, "batch-interval", x.duration("batch-interval", Duration.ofSeconds(1))));
        return out;
    }

    Map<String, Object> webhook(SpecNode x) {
        x.allowOnly("type", "url", "secret", "format", "max-retries", "initial-backoff", "timeout");
        Map<String, Object> out = new LinkedHashMap<>();
        String format = x.oneOf("format", "json", "json", "slack");
        out.put("format", format);
        // The URL may itself be a secret (a Slack incoming-webhook URL is one), so it may be a reference.
        String url = x.string("url", null, true, "an http(s) URL, or ${env:NAME} / ${file:PATH} holding one");
        if (url != null && SecretRef.isReference(url)) {
            SecretRef ref = secret(x, "url", true);
            put(out, "url", ref);
            if (checkReferences && ref != null) {
                // validate resolves the reference: its value must be a usable URL too (never printed).
                String resolved = null;
                try {
                    resolved = ref.resolve(x.pathOf("url"));
                } catch (ConfigException alreadyReported) {
                    // secret(..) above reported the unreadable reference
                }
                if (resolved != null) {
                    try {
                        WebhookSettings.checkUrl(resolved, x.pathOf("url"), ref);
                    } catch (ConfigException e) {
                        x.errors().add("", e.getMessage());
                    }
                }
            }
        } else if (url != null && !url.matches("(?i)https?://[^\\s/]+.*")) {
            x.errors().add(x.pathOf("url"), "expected an http:// or https:// URL, got '" + url + "'");
        } else if (url != null) {
            try {
                WebhookSettings.checkUrl(url, x.pathOf("url"), null);
                put(out, "url", url);
            } catch (ConfigException e) {
                x.errors().add("", e.getMessage());
            }
        }
        // A signing secret is required for JSON receivers; Slack does not check signatures.
        put(out, "secret", secret(x, "secret", "json".equals(format)));
        out.put("max-retries", x.integer("max-retries", 5, 0, 20));
        out.put("initial-backoff", positive(x, "initial-backoff", x.duration("initial-backoff", Duration.ofMillis(500))));
        out.put("timeout", positive(x, "timeout", x.duration("timeout", Duration.ofSeconds(10))));
        return out;
    }

    Map<String, Object> kafka(SpecNode x) {
        x.allowOnly("type", "bootstrap-servers", "topic", "transactional-id-prefix", "properties");
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "bootstrap-servers", x.string("bootstrap-servers", null, true, "HOST:PORT[,HOST:PORT...]"));
        String topic = x.string("topic", null, true, "a Kafka topic name");
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            x.errors().add(x.pathOf("topic"), "expected a Kafka topic name (letters, digits, '.', '_', '-'), got '" + topic + "'");
        } else {
            put(out, "topic", topic);
        }
        out.put("transactional-id-prefix", x.string("transactional-id-prefix", DEFAULT_TRANSACTIONAL_ID_PREFIX, false,
                "a prefix unique to this job on the cluster, e.g. fendersec-alerts"));
        Map<String, String> props = new LinkedHashMap<>();
        SpecNode p = x.section("properties", false);
        if (p != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = p.rawNode().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = p.pathOf(e.getKey());
                JsonNode v = e.getValue();
                if (!v.isValueNode() || v.isNull()) {
                    x.errors().add(path, "expected a text or number value");
                } else if (KafkaOwned.KEYS.contains(e.getKey())) {
                    x.errors().add(path, "set by the sink (exactly-once delivery needs its own value); remove it");
                } else if (KafkaSecrets.isSecretName(e.getKey()) && !KafkaSecrets.isReferenced(e.getKey(), v.asText())) {
                    x.errors().add(path, KafkaSecrets.isJaas(e.getKey())
                            ? "holds a secret; write each secret option of the JAAS line as a reference, e.g. password=\"${env:NAME}\","
                                    + " or the whole value as ${env:NAME} or ${file:PATH} (Kafka resolves them on the TaskManager)"
                            : "holds a secret; write it as ${env:NAME} or ${file:PATH} (Kafka resolves it on the TaskManager)");
                } else {
                    if (checkReferences) {
                        for (SecretRef ref : KafkaSecrets.references(KafkaSecrets.withAbsoluteFiles(v.asText(), p.baseDir()))) {
                            try {
                                ref.checkResolvable(path);
                            } catch (ConfigException ex) {
                                x.errors().add("", ex.getMessage());
                            }
                        }
                    }
                    props.put(e.getKey(), KafkaSecrets.withAbsoluteFiles(v.asText(), p.baseDir()));
                }
            }
        }
        out.put("properties", props);
        return out;
    }

    /** Producer settings the exactly-once sink sets itself. */
    static final class KafkaOwned {
        static final java.util.Set<String> KEYS = java.util.Set.of("bootstrap.servers", "transactional.id",
                "enable.idempotence", "key.serializer", "value.serializer");
    }

    private SecretRef secret(SpecNode x, String key, boolean required) {
        SecretRef ref = x.secret(key, required);
        if (checkReferences && ref != null) {
            try {
                ref.checkResolvable(x.pathOf(key));
            } catch (ConfigException e) {
                x.errors().add("", e.getMessage());
            }
        }
        return ref;
    }

    private static Duration positive(SpecNode s, String key, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            s.errors().add(s.pathOf(key), "expected a duration above zero");
        }
        return d;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
