package io.fendersec.detect.engine;

import java.util.stream.Stream;

import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * The groups a correlate operator keeps state for, counted by their clocks (every group with state
 * has one; {@code numKeyedStateEntries} counts each of a group's states).
 */
final class StoredGroups {
    private StoredGroups() {}

    static long count(AbstractStreamOperatorTestHarness<?> h) throws Exception {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getOperator();
        try (Stream<Object> keys = op.getKeyedStateBackend().getKeys(GroupStore.clockDescriptor().getName(),
                VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }
}
