package io.fendersec.sink;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/**
 * How the console and file sinks write an alert, as the job spec names it ({@code format: json |
 * ocsf}): the Fendersec alert JSON ({@link AlertJson}) or an OCSF Detection Finding
 * ({@link OcsfRenderer}). One JSON object without line breaks either way.
 */
public enum AlertFormat {
    JSON {
        @Override
        public String render(Alert alert) {
            return AlertJson.toJson(alert);
        }
    },
    OCSF {
        @Override
        public String render(Alert alert) {
            return OcsfRenderer.toJson(alert);
        }
    };

    public abstract String render(Alert alert);

    /** The name a job spec uses: {@code json}, {@code ocsf}. */
    public String specName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Every format's spec name: json, ocsf. */
    public static String[] specNames() {
        return java.util.Arrays.stream(values()).map(AlertFormat::specName).toArray(String[]::new);
    }

    public static AlertFormat parse(String name) {
        for (AlertFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("alert format '" + name + "': expected json or ocsf");
    }
}
