package io.fendersec.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;
import io.fendersec.model.EvidenceLog;

/**
 * Every text of an alert made {@link SinkSafeText sink-safe}, once, before the alert fans out to
 * the sinks: so that no sink can forget it and all of them write the same value.
 */
public final class SinkSafeAlerts implements MapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;

    /** The stage's uid: stateless, so adding it to a job restores every existing savepoint. */
    public static final String UID = "alerts-sink-safe";

    /** {@code alerts} with every text sink-safe. */
    public static DataStream<Alert> of(DataStream<Alert> alerts) {
        return alerts.map(new SinkSafeAlerts()).returns(AlertTypeInfoFactory.TYPE).name("alerts: sink-safe text").uid(UID);
    }

    @Override
    public Alert map(Alert a) {
        return clean(a);
    }

    /** {@code a} with U+0000 and lone surrogates replaced in every text; {@code a} itself when it had none. */
    public static Alert clean(Alert a) {
        if (!needsCleaning(a)) {
            return a;
        }
        Map<String, String> group = new LinkedHashMap<>();
        a.group().forEach((k, v) -> group.merge(SinkSafeText.of(k), SinkSafeText.of(v), (x, y) -> x));
        return a.toBuilder().alertId(SinkSafeText.of(a.alertId())).ruleId(SinkSafeText.of(a.ruleId()))
                .kind(SinkSafeText.of(a.kind())).title(SinkSafeText.of(a.title())).severity(SinkSafeText.of(a.severity()))
                .app(SinkSafeText.of(a.app())).group(group).evidence(texts(a.evidence()))
                .device(SinkSafeText.of(a.device())).tags(texts(a.tags())).references(texts(a.references()))
                .evidenceLogs(a.evidenceLogs().stream().map(SinkSafeAlerts::clean).toList()).build();
    }

    private static EvidenceLog clean(EvidenceLog l) {
        return EvidenceLog.of(SinkSafeText.of(l.uuid()), l.timeMillis(), SinkSafeText.of(l.device()),
                SinkSafeText.of(l.level()), SinkSafeText.of(l.text()));
    }

    private static List<String> texts(List<String> values) {
        return values.stream().map(SinkSafeText::of).toList();
    }

    private static boolean needsCleaning(Alert a) {
        if (SinkSafeText.isUnsafe(a.alertId()) || SinkSafeText.isUnsafe(a.ruleId()) || SinkSafeText.isUnsafe(a.kind())
                || SinkSafeText.isUnsafe(a.title()) || SinkSafeText.isUnsafe(a.severity())
                || SinkSafeText.isUnsafe(a.app()) || SinkSafeText.isUnsafe(a.device())
                || a.evidence().stream().anyMatch(SinkSafeText::isUnsafe) || a.tags().stream().anyMatch(SinkSafeText::isUnsafe)
                || a.references().stream().anyMatch(SinkSafeText::isUnsafe)) {
            return true;
        }
        for (Map.Entry<String, String> e : a.group().entrySet()) {
            if (SinkSafeText.isUnsafe(e.getKey()) || SinkSafeText.isUnsafe(e.getValue())) {
                return true;
            }
        }
        return a.evidenceLogs().stream().anyMatch(l -> SinkSafeText.isUnsafe(l.uuid()) || SinkSafeText.isUnsafe(l.device())
                || SinkSafeText.isUnsafe(l.level()) || SinkSafeText.isUnsafe(l.text()));
    }
}
