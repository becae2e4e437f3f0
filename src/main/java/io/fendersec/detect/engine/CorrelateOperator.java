package io.fendersec.detect.engine;

import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.model.Alert;

/**
 * Runs {@link CorrelateFunction} and, after each group's hits, the evictions they made due
 * ({@code rules.max-groups}): dropping another group's state means making that group current, which
 * only the operator can do (a keyed function sees the current key alone). The function, its keyed
 * state and its timers are exactly those of {@code keyed.process(function)}, so savepoints restore
 * either way.
 */
final class CorrelateOperator extends KeyedProcessOperator<String, GroupHits, Alert>
        implements CorrelationStage.Groups {
    private static final long serialVersionUID = 1L;

    private transient TimestampedCollector<Alert> alerts;

    CorrelateOperator(CorrelateFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        alerts = new TimestampedCollector<>(output);
    }

    @Override
    public void processElement(StreamRecord<GroupHits> element) throws Exception {
        super.processElement(element);
        alerts.setTimestamp(element);
        ((CorrelateFunction) userFunction).evictStalest(element.getValue(), this, alerts);
    }

    @Override
    public Object current() {
        return getCurrentKey();
    }

    @Override
    public void makeCurrent(Object key) {
        setCurrentKey(key);
    }
}
