package io.fendersec.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;
import io.fendersec.job.spec.SpecNode;
import io.fendersec.model.Durations;
import io.fendersec.sink.AlertFormat;
import io.fendersec.sink.AlertSinkSettings;
import io.fendersec.sink.AlertSinkType;
import io.fendersec.sink.ConsoleSinkSettings;
import io.fendersec.sink.FileSinkSettings;
import io.fendersec.sink.JdbcSinkSettings;
import io.fendersec.sink.KafkaSecrets;
import io.fendersec.sink.KafkaSinkSettings;
import io.fendersec.sink.WebhookSettings;
import io.fendersec.sink.budget.AlertBudget;

/**
 * Reads the {@code sinks} section: the raw-log archive and each {@code sinks.alerts[]} entry into
 * its type's settings record ({@link AlertSinkType}, {@link AlertSinkSettings}). Keys stay as
 * written (kebab-case); defaults are the settings records' own; secrets stay {@link SecretRef}s,
 * resolved by the sink on the TaskManager. Every error names its dotted path.
 */
final class AlertSinkSpecReader {
    /** A table name, optionally schema-qualified; plain identifiers only, so it can be spliced into SQL. */
    private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}");
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final boolean checkReferences;

    AlertSinkSpecReader(boolean checkReferences) {
        this.checkReferences = checkReferences;
    }

    /** The {@code sinks} section, or its defaults (no archive, alerts to the console) when absent. */
    SinksSpec sinks(SpecNode s) {
        if (s == null) {
            return new SinksSpec(null, true, List.of());
        }
        s.allowOnly("archive", "alerts", "budget");
        String archive = null;
        boolean privateArchive = true;
        SpecNode a = s.section("archive", false);
        if (a != null) {
            a.allowOnly("path", "permissions");
            Path p = a.file("path", true, "a folder for the raw-log archive, e.g. out/logs");
            archive = p == null ? null : p.toString();
            // The archive holds what apps leak (tokens, passwords): owner-only unless the job says otherwise.
            privateArchive = "private".equals(a.oneOf("permissions", "private", "private", "umask"));
        }
        List<AlertSinkSettings> alerts = new ArrayList<>();
        List<Boolean> evidenceLogs = new ArrayList<>();
        for (SpecNode x : s.sections("alerts")) {
            String name = x.oneOf("type", null, AlertSinkType.names().toArray(String[]::new));
            Optional<AlertSinkType> type = AlertSinkType.named(name);
            if (type.isEmpty()) {
                if (!x.has("type")) {
                    x.errors().add(x.pathOf("type"), "missing; expected one of " + String.join(" | ", AlertSinkType.names()));
                }
                continue;
            }
            int errorsBefore = x.errors().all().size();
            AlertSinkSettings settings = read(type.get(), x);
            // ids (default): log uuids; logs: also the logs' redacted, capped text (docs/alert-delivery.md)
            String evidence = x.oneOf("evidence", "ids", "ids", "logs");
            // An entry with errors has no settings: the job is refused with every error at once.
            if (settings != null && x.errors().all().size() == errorsBefore) {
                alerts.add(settings);
                evidenceLogs.add("logs".equals(evidence));
            }
        }
        return new SinksSpec(archive, privateArchive, alerts, evidenceLogs, budget(s.section("budget", false)));
    }

    /** {@code sinks.budget}: {@code max-alerts} per rule and device in each period {@code per}. */
    private static AlertBudget budget(SpecNode b) {
        if (b == null) {
            return AlertBudget.DEFAULT;
        }
        b.allowOnly("max-alerts", "per");
        int max = b.integer("max-alerts", AlertBudget.DEFAULT_MAX_ALERTS, 1, AlertBudget.MAX_MAX_ALERTS);
        Duration per = b.duration("per", AlertBudget.DEFAULT_PER);
        if (per.compareTo(AlertBudget.MIN_PER) < 0 || per.compareTo(AlertBudget.MAX_PER) > 0) {
            b.errors().add(b.pathOf("per"), "expected a period from 1m to 7d, got " + Durations.format(per));
            per = AlertBudget.DEFAULT_PER;
        }
        return new AlertBudget(max, per);
    }

    /** The reader of each type; a new {@link AlertSinkType} constant does not compile until it has one here. */
    private AlertSinkSettings read(AlertSinkType type, SpecNode x) {
        return switch (type) {
            case CONSOLE -> console(x);
            case FILE -> file(x);
            case JDBC -> jdbc(x);
            case WEBHOOK -> webhook(x);
            case KAFKA -> kafka(x);
        };
    }

    private ConsoleSinkSettings console(SpecNode x) {
        x.allowOnly("type", "evidence", "format");
        String format = x.oneOf("format", AlertFormat.JSON.specName(), AlertFormat.specNames());
        return format == null ? null : new ConsoleSinkSettings(AlertFormat.parse(format));
    }

    private FileSinkSettings file(SpecNode x) {
        x.allowOnly("type", "evidence", "path", "format", "permissions", "dead-letters");
        String deadLetters = deadLetters(x);
        Path p = x.file("path", true, "a folder for alert files, e.g. out/alerts");
        String format = x.oneOf("format", AlertFormat.JSON.specName(), AlertFormat.specNames());
        // Alerts name accounts and addresses, and may carry log text: owner-only unless the job says otherwise.
        String permissions = x.oneOf("permissions", "private", "private", "umask");
        return p == null || format == null || permissions == null ? null
                : new FileSinkSettings(p.toString(), AlertFormat.parse(format), "private".equals(permissions),
                        deadLetters);
    }

    private JdbcSinkSettings jdbc(SpecNode x) {
        x.allowOnly("type", "evidence", "url", "user", "password", "table", "batch-size", "batch-interval", "dead-letters");
        String url = x.string("url", null, true, "a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/fendersec");
        if (url != null && !url.startsWith("jdbc:postgresql://")) {
            x.errors().add(x.pathOf("url"), "expected a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), got '"
                    + url + "'");
        } else if (url != null && url.toLowerCase(Locale.ROOT).contains("password=")) {
            x.errors().add(x.pathOf("url"), "holds a password; put it in password: ${env:NAME} or ${file:PATH} instead");
        }
        String user = x.string("user", null, true, "the database user");
        SecretRef password = secret(x, "password", false);
        String table = x.string("table", JdbcSinkSettings.DEFAULT_TABLE, false,
                "a table name such as fendersec_alerts or alerts.fendersec");
        if (table != null && !TABLE.matcher(table).matches()) {
            x.errors().add(x.pathOf("table"), "expected a lower-case table name ([a-z_][a-z0-9_]*, optionally schema.table), got '"
                    + table + "'");
        }
        // rows the store refuses for their content (docs/alert-delivery.md, "Dead letters")
        String deadLetters = deadLetters(x);
        int batchSize = x.integer("batch-size", JdbcSinkSettings.DEFAULT_BATCH_SIZE, 1, 10_000);
        Duration batchInterval = positive(x, "batch-interval",
                x.duration("batch-interval", JdbcSinkSettings.DEFAULT_BATCH_INTERVAL));
        return url == null || user == null ? null
                : new JdbcSinkSettings(url, user, password, table, batchSize, batchInterval, deadLetters);
    }

    private WebhookSettings webhook(SpecNode x) {
        x.allowOnly("type", "evidence", "url", "secret", "format", "max-retries", "initial-backoff", "timeout", "batch-size",
                "batch-interval", "dead-letters");
        String format = x.oneOf("format", "json", "json", "slack");
        // The URL may itself be a secret (a Slack incoming-webhook URL is one), so it may be a reference.
        String url = x.string("url", null, true, "an http(s) URL, or ${env:NAME} / ${file:PATH} holding one");
        SecretRef urlRef = null;
        if (url != null && SecretRef.isReference(url)) {
            urlRef = secret(x, "url", true);
            if (checkReferences && urlRef != null) {
                // validate resolves the reference: its value must be a usable URL too (never printed).
                String resolved = null;
                try {
                    resolved = urlRef.resolve(x.pathOf("url"));
                } catch (ConfigException alreadyReported) {
                    // secret(..) above reported the unreadable reference
                }
                if (resolved != null) {
                    try {
                        WebhookSettings.checkUrl(resolved, x.pathOf("url"), urlRef);
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
                urlRef = SecretRef.literal(url);
            } catch (ConfigException e) {
                x.errors().add("", e.getMessage());
            }
        }
        // A signing secret is required for JSON receivers; Slack does not check signatures.
        SecretRef secret = secret(x, "secret", "json".equals(format));
        int maxRetries = x.integer("max-retries", WebhookSettings.DEFAULT_MAX_RETRIES, 0, 20);
        Duration backoff = positive(x, "initial-backoff",
                x.duration("initial-backoff", WebhookSettings.DEFAULT_INITIAL_BACKOFF));
        Duration timeout = positive(x, "timeout", x.duration("timeout", WebhookSettings.DEFAULT_TIMEOUT));
        int batchSize = x.integer("batch-size", WebhookSettings.DEFAULT_BATCH_SIZE, 1, WebhookSettings.MAX_BATCH_SIZE);
        Duration batchInterval = positive(x, "batch-interval",
                x.duration("batch-interval", WebhookSettings.DEFAULT_BATCH_INTERVAL));
        String deadLetters = deadLetters(x);
        if (urlRef == null || format == null || ("json".equals(format) && secret == null)) {
            return null;
        }
        return new WebhookSettings(urlRef, secret, WebhookSettings.Format.valueOf(format.toUpperCase(Locale.ROOT)),
                maxRetries, backoff, timeout, batchSize, batchInterval, deadLetters);
    }

    private KafkaSinkSettings kafka(SpecNode x) {
        x.allowOnly("type", "evidence", "bootstrap-servers", "topic", "transactional-id-prefix", "properties", "dead-letters");
        String deadLetters = deadLetters(x);
        String servers = x.string("bootstrap-servers", null, true, "HOST:PORT[,HOST:PORT...]");
        String topic = x.string("topic", null, true, "a Kafka topic name");
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            x.errors().add(x.pathOf("topic"), "expected a Kafka topic name (letters, digits, '.', '_', '-'), got '" + topic + "'");
        }
        String prefix = x.string("transactional-id-prefix", KafkaSinkSettings.DEFAULT_TRANSACTIONAL_ID_PREFIX, false,
                "a prefix unique to this job on the cluster, e.g. fendersec-alerts");
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
        return servers == null || topic == null ? null : new KafkaSinkSettings(servers, topic, prefix, props, deadLetters);
    }

    /** Producer settings the exactly-once sink sets itself. */
    static final class KafkaOwned {
        static final Set<String> KEYS = Set.of("bootstrap.servers", "transactional.id",
                "enable.idempotence", "key.serializer", "value.serializer");
    }

    /**
     * {@code dead-letters}: the folder for alerts a sink refuses for their content, or null for the
     * default (docs/alert-delivery.md, "Dead letters").
     */
    private static String deadLetters(SpecNode x) {
        Path p = x.file("dead-letters", false, "a folder for refused alerts, e.g. out/dead-letters");
        return p == null ? null : p.toString();
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
}
