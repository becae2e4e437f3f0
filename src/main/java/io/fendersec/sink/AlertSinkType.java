package io.fendersec.sink;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The registry of alert sink types: each {@code sinks.alerts[].type} name of the job spec, once.
 * The job spec reader, {@code fendersec validate} and the pipeline all go through it.
 *
 * <p>A new sink type is one settings record implementing {@link AlertSinkSettings} plus one
 * constant here, and the compiler walks you through the rest: the sealed interface wants the
 * record in its {@code permits} and its wiring ({@link AlertSinkSettings#addTo}); the record's
 * {@link AlertSinkSettings#type()} names its constant; the job spec reader's exhaustive
 * {@code switch} over this enum wants the constant's reader.
 */
public enum AlertSinkType {
    CONSOLE("console"),
    FILE("file") {
        @Override
        public String uid(int position) {
            return "fendersec-alerts-file-" + position; // the uid jobs have always had: savepoints restore by it
        }
    },
    JDBC("jdbc"),
    WEBHOOK("webhook"),
    KAFKA("kafka");

    private final String specName;

    AlertSinkType(String specName) {
        this.specName = specName;
    }

    /** The name a job spec writes: {@code type: jdbc}. */
    public String specName() {
        return specName;
    }

    /**
     * The operator uid of the entry at {@code position} of {@code sinks.alerts}: stable across
     * restarts (the Kafka and file sinks restore their state by it) and unique when two entries
     * share a type.
     */
    public String uid(int position) {
        return "alerts-" + specName + "-" + position;
    }

    public static Optional<AlertSinkType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.specName.equals(name)).findFirst();
    }

    /** Every type's name, in this order: console, file, jdbc, webhook, kafka. */
    public static List<String> names() {
        return Arrays.stream(values()).map(AlertSinkType::specName).toList();
    }
}
