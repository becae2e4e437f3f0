package io.fendersec.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fendersec.api.LogQuery;
import io.fendersec.source.split.BugfenderSplit;

class BugfenderEnumStateSerializerTest {
    private final BugfenderEnumStateSerializer ser = new BugfenderEnumStateSerializer();

    @Test
    void roundTripsEmptyAndFullStates() throws IOException {
        LogQuery q1 = LogQuery.builder("a", Instant.parse("2026-01-01T00:00:00Z"))
                .to(Instant.parse("2026-01-01T01:00:00Z")).pageSize(100).deviceUdid("dev-1").build();
        LogQuery q2 = LogQuery.builder("b", Instant.parse("2026-01-01T00:00:00Z")).pageSize(5).build();
        BugfenderSplit s = BugfenderSplit.atStart(q1, true, "http://h/x?cursor=1", "http://h/x?cursor=2")
                .withPosition("http://h/x?cursor=3", 4, false);
        BugfenderEnumState full = new BugfenderEnumState(true, Set.of("b", "a"), List.of(q2), List.of(s));
        for (BugfenderEnumState state : List.of(BugfenderEnumState.initial(), full)) {
            assertThat(ser.deserialize(ser.getVersion(), ser.serialize(state))).isEqualTo(state);
        }
    }
}
