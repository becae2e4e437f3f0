package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import io.fendersec.detect.correlate.CorrelationSpec;
import io.fendersec.detect.correlate.CorrelationType;
import io.fendersec.detect.correlate.CountCondition;
import io.fendersec.detect.correlate.GroupHits;
import io.fendersec.detect.correlate.GroupState;
import io.fendersec.detect.correlate.GroupStateSerializer;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.correlate.KeyStateSerializer;
import io.fendersec.detect.normalize.NormalizedLog;

/** Round trips of the detection value types through their own serializers (never Kryo). */
class DetectionSerializersTest {
    static <T> T roundTrip(TypeSerializer<T> s, T v) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(v, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    static <T> TypeSerializer<T> serializerOf(Class<T> c) {
        TypeInformation<T> info = TypeInformation.of(c);
        assertThat(info).isInstanceOf(SingletonTypeInfo.class);
        return info.createSerializer(new ExecutionConfig().getSerializerConfig());
    }

    static Alert alert() {
        return Alert.builder().alertId(Alert.idFor("brute-force", "app", Map.of("source.ip", "1.2.3.4"), 1000))
                .ruleId("brute-force").kind("event_count").title("Brute force").severity("high").app("app")
                .group(Map.of("source.ip", "1.2.3.4")).window(0, 1000).seen(10, 900).count(5)
                .evidence(List.of("a", "b")).device(null).tags(List.of("attack.t1110")).references(List.of()).build();
    }

    @Test
    void alertRoundTripsThroughSerializerAndJson() throws Exception {
        Alert a = alert();
        assertThat(roundTrip(serializerOf(Alert.class), a)).isEqualTo(a);
        assertThat(AlertJson.fromJson(AlertJson.toJson(a))).isEqualTo(a);
        assertThat(AlertJson.toJson(a)).doesNotContain("\"device\"");
    }

    @Test
    void alertIdsAreStableVersion5Uuids() {
        String id = Alert.idFor("r", "app", Map.of("k", "v"), 42);
        assertThat(id).isEqualTo(Alert.idFor("r", "app", Map.of("k", "v"), 42));
        assertThat(id).isNotEqualTo(Alert.idFor("r", "app", Map.of("k", "v"), 43));
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(5);
    }

    @Test
    void hitNormalizedLogAndKeyStateRoundTrip() throws Exception {
        Hit h = new Hit("c", "r", "app", Map.of("g", "v"), 5, null, "d", List.of("u1"));
        assertThat(roundTrip(serializerOf(Hit.class), h)).isEqualTo(h);
        NormalizedLog n = new NormalizedLog(LogRecord.builder().put("text", "x").put("n", 1).build(),
                Map.of("source.ip", "1.2.3.4"));
        assertThat(roundTrip(serializerOf(NormalizedLog.class), n)).isEqualTo(n);
        KeyState st = new KeyState();
        st.hold(h);
        KeyState back = roundTrip(KeyStateSerializer.INSTANCE, st);
        assertThat(back.pending()).containsExactly(h);
        assertThat(KeyStateSerializer.INSTANCE.copy(st).pending()).containsExactly(h);
    }

    @Test
    void groupHitsAndGroupStateRoundTrip() throws Exception {
        GroupHits g = new GroupHits(2, "app", Map.of("source.ip", "203.0.113.9"), 7, "dev", List.of("u1"),
                List.of(new GroupHits.Target("stuffing", "failed-login", "alice"),
                        new GroupHits.Target("brute-force", "failed-login", null)));
        assertThat(roundTrip(serializerOf(GroupHits.class), g)).isEqualTo(g);
        assertThat(g.hits()).extracting(Hit::target).containsExactly("brute-force", "stuffing");
        GroupState st = new GroupState();
        st.hold(g);
        st.rule("brute-force").window().add(g.hits().get(0),
                new CorrelationSpec(CorrelationType.EVENT_COUNT, 60_000,
                        CountCondition.of(CountCondition.Op.GTE, 5), List.of("failed-login")), 50);
        GroupState back = roundTrip(GroupStateSerializer.INSTANCE, st);
        assertThat(back.pending()).containsExactly(g);
        assertThat(back.rules()).containsOnlyKeys("brute-force");
        assertThat(back.rules().get("brute-force").window().events()).containsExactly(g.hits().get(0));
        assertThat(GroupStateSerializer.INSTANCE.copy(st).pending()).containsExactly(g);
    }
}
