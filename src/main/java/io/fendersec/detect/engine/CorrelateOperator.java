package io.fendersec.detect.engine;

import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
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
 * either way. An evicted group's timer goes with its state, through the same timer service.
 */
final class CorrelateOperator extends KeyedProcessOperator<String, GroupHits, Alert>
        implements CorrelationStage.Groups {
    private static final long serialVersionUID = 1L;
    /** The name {@link KeyedProcessOperator} gives its timer service; the same name returns the same service. */
    private static final String USER_TIMERS = "user-timers";

    private transient TimestampedCollector<Alert> alerts;
    /** The function's timers ({@code keyed.process}'s timer service, by its name), for evicted groups. */
    private transient TimerService timers;

    CorrelateOperator(CorrelateFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        alerts = new TimestampedCollector<>(output);
        timers = new SimpleTimerService(getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this));
    }

    @Override
    public void processElement(StreamRecord<GroupHits> element) throws Exception {
        super.processElement(element);
        alerts.setTimestamp(element);
        ((CorrelateFunction) userFunction).evictStalest(element.getValue(), this, timers, alerts);
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
