package io.fendersec.sink.budget;

import org.apache.flink.streaming.api.datastream.DataStream;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertTypeInfoFactory;

/** The alert-budget stage, between detection and the sinks. */
public final class AlertBudgets {
    /** The stage's uid (its state: counts and roll-ups of the open periods). */
    public static final String UID = "alerts-budget";

    private AlertBudgets() {}

    public static DataStream<Alert> apply(DataStream<Alert> alerts, AlertBudget budget) {
        return alerts.keyBy(AlertBudgetFunction.KEY).process(new AlertBudgetFunction(budget))
                .returns(AlertTypeInfoFactory.TYPE).name("alerts: budget").uid(UID);
    }
}
