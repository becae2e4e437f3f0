package io.fendersec.sink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.sink.PrintSink;

import io.fendersec.error.TerminalText;
import io.fendersec.model.Alert;

/** {@code type: console}: one alert per line on standard output, in {@code format} (json or ocsf). */
public record ConsoleSinkSettings(AlertFormat format) implements AlertSinkSettings {
    /** Where alerts go when a job names no sink. */
    public static final ConsoleSinkSettings DEFAULT = new ConsoleSinkSettings(AlertFormat.JSON);

    public ConsoleSinkSettings {
        java.util.Objects.requireNonNull(format, "format");
    }

    @Override
    public AlertSinkType type() {
        return AlertSinkType.CONSOLE;
    }

    @Override
    public DataStreamSink<?> addTo(DataStream<Alert> alerts, String uid) {
        // Stateless, so no uid: nothing to restore.
        return alerts.map(new Line(format)).returns(Types.STRING).name("alerts: " + format.specName())
                .sinkTo(new PrintSink<>()).name("alerts: console").setParallelism(1);
    }

    /** The printed line: alerts quote device text (groups, titles), escaped so nothing reaches a terminal raw. */
    public String line(Alert alert) {
        return line(format, alert);
    }

    private static String line(AlertFormat format, Alert alert) {
        return TerminalText.json(format.render(alert));
    }

    private static final class Line implements MapFunction<Alert, String> {
        private static final long serialVersionUID = 1L;
        private final AlertFormat format;

        Line(AlertFormat format) {
            this.format = format;
        }

        @Override
        public String map(Alert alert) {
            return line(format, alert);
        }
    }
}
