package io.fendersec.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import io.fendersec.model.Alert;
import io.fendersec.model.LogRecord;

/**
 * Pass-through operators that count what a run read and found, as accumulators: they reach the
 * client at the end of the job on a MiniCluster and on a real cluster alike.
 */
final class RunCounters {
    static final String LOGS = "fendersec-logs-by-app";
    static final String ALERTS = "fendersec-alerts-by-rule";

    private RunCounters() {}

    /** Counts logs per app. */
    static final class Logs extends RichMapFunction<LogRecord, LogRecord> {
        private static final long serialVersionUID = 1L;
        private transient CountsByKey counts;

        @Override
        public void open(OpenContext ctx) {
            counts = new CountsByKey();
            getRuntimeContext().addAccumulator(LOGS, counts);
        }

        @Override
        public LogRecord map(LogRecord r) {
            counts.add(r.app() == null ? "?" : r.app());
            return r;
        }
    }

    /** Counts alerts per rule and severity ("rule|severity"). */
    static final class Alerts extends RichMapFunction<Alert, Alert> {
        private static final long serialVersionUID = 1L;
        private transient CountsByKey counts;

        @Override
        public void open(OpenContext ctx) {
            counts = new CountsByKey();
            getRuntimeContext().addAccumulator(ALERTS, counts);
        }

        @Override
        public Alert map(Alert a) {
            counts.add(a.ruleId() + "|" + a.severity());
            return a;
        }
    }
}
