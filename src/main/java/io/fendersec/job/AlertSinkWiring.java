package io.fendersec.job;

import java.util.List;

import org.apache.flink.streaming.api.datastream.DataStream;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;
import io.fendersec.sink.AlertSinkSettings;
import io.fendersec.sink.ConsoleSinkSettings;
import io.fendersec.sink.SinkSafeAlerts;
import io.fendersec.sink.budget.AlertBudgets;

/** Attaches the job's alert sinks ({@code sinks.alerts}) to the alert stream. */
final class AlertSinkWiring {
    private AlertSinkWiring() {}

    /**
     * The job's delivery: the alert budget ({@code sinks.budget}: per rule and device, the rest rolled
     * up), then every sink of {@code sinks.alerts}.
     */
    static void addAll(DataStream<Alert> alerts, SinksSpec sinks) {
        addAll(AlertBudgets.apply(alerts, sinks.budget), sinks.alerts, sinks.evidenceLogs);
    }

    /** Every sink in order; none written means the console. */
    static void addAll(DataStream<Alert> alerts, List<AlertSinkSettings> sinks) {
        addAll(alerts, sinks, List.of());
    }

    /**
     * Every sink in order; none written means the console. Alerts carry evidence logs only when
     * some sink asked for them ({@code evidenceLogs}, one per sink): the others get them removed.
     */
    static void addAll(DataStream<Alert> alerts, List<AlertSinkSettings> sinks, List<Boolean> evidenceLogs) {
        boolean anyLogs = evidenceLogs.contains(true);
        // Device-written text that a sink would refuse (U+0000, lone surrogates) is replaced once, for all.
        alerts = SinkSafeAlerts.of(alerts);
        if (sinks.isEmpty()) {
            ConsoleSinkSettings.DEFAULT.addTo(alerts, ConsoleSinkSettings.DEFAULT.type().uid(0));
            return;
        }
        for (int i = 0; i < sinks.size(); i++) {
            // The position keeps each sink's uid stable across restarts (Kafka restores its transactions by it).
            AlertSinkSettings sink = sinks.get(i);
            DataStream<Alert> in = alerts;
            if (anyLogs && !evidenceLogs.get(i)) {
                in = alerts.map(Alert::withoutEvidenceLogs).returns(AlertTypeInfoFactory.TYPE)
                        .name("alerts: evidence ids").uid(sink.type().uid(i) + "-evidence-ids");
            }
            sink.addTo(in, sink.type().uid(i));
        }
    }
}
