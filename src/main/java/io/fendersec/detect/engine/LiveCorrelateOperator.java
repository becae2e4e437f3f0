package io.fendersec.detect.engine;

import java.util.List;

import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.model.Alert;

/**
 * {@link CorrelateOperator} for a job whose rules change while it runs: Flink's broadcast operator
 * for {@link LiveCorrelateFunction}, plus, after each group's hits, the evictions they made due
 * ({@code rules.max-groups}), which need another group made current and so the operator. Its
 * function, states, broadcast state and timers are exactly those of
 * {@code keyed.connect(broadcast).process(function)}, so savepoints restore either way.
 */
final class LiveCorrelateOperator extends CoBroadcastWithKeyedOperator<String, GroupHits, RuleSnapshot, Alert>
        implements CorrelationStage.Groups {
    private static final long serialVersionUID = 1L;
    /** The name {@link CoBroadcastWithKeyedOperator} gives its timer service; the same name returns the same service. */
    private static final String USER_TIMERS = "user-timers";

    private final LiveCorrelateFunction function;
    private transient TimestampedCollector<Alert> alerts;
    private transient TimerService timers;

    LiveCorrelateOperator(LiveCorrelateFunction function) {
        super(function, List.of(RulesInForce.STATE));
        this.function = function;
    }

    @Override
    public void open() throws Exception {
        super.open();
        alerts = new TimestampedCollector<>(output);
        timers = new SimpleTimerService(getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this));
    }

    @Override
    public void processElement1(StreamRecord<GroupHits> element) throws Exception {
        super.processElement1(element);
        alerts.setTimestamp(element);
        function.evictStalest(element.getValue(), this, timers, alerts);
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
