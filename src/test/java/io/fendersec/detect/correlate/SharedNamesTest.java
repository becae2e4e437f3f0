package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 §1: hits read from the wire share one instance of each rule id, app id and field name,
 * and never share what the logs chose. Expectations by hand from the hit below.
 */
class SharedNamesTest {

    private static GroupHits read(GroupHits g) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        GroupHitsSerializer.INSTANCE.serialize(g, out);
        return GroupHitsSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    // Mutation caught: names not shared (the code before: every hit its own strings) -> a.app()
    // and b.app() are equal but not the same instance. Mutation caught: the log's values shared
    // too (a table an attacker grows with every account) -> the user names are the same instance.
    @Test
    void twoHitsShareTheirNamesButNotTheirValues() throws IOException {
        GroupHits g = new GroupHits(1, "app1", Map.of("user.name", "alice@example.com"), 1_000L, "dev-1",
                List.of("u-1"), List.of(new GroupHits.Target("brute-force", "login-failure", null)));
        GroupHits a = read(g);
        GroupHits b = read(g);
        assertThat(a).isEqualTo(g);
        assertThat(a.app()).isSameAs(b.app());
        assertThat(a.group().keySet().iterator().next()).isSameAs(b.group().keySet().iterator().next());
        assertThat(a.targets().get(0).target()).isSameAs(b.targets().get(0).target());
        assertThat(a.targets().get(0).source()).isSameAs(b.targets().get(0).source());
        assertThat(a.group().get("user.name")).isNotSameAs(b.group().get("user.name"));
        assertThat(a.device()).isNotSameAs(b.device());
    }

    // Mutation caught: no cap (the table grows with whatever reaches it) -> size 10 instead of 3.
    @Test
    void theTableStopsGrowingAtItsCap() {
        SharedNames names = new SharedNames(3);
        for (int i = 0; i < 10; i++) {
            names.share("name-" + i);
        }
        assertThat(names.size()).isEqualTo(3);
        String late = new String("name-9");
        assertThat(names.share(late)).isSameAs(late);
        String early = new String("name-0");
        assertThat(names.share(early)).isNotSameAs(early).isEqualTo("name-0");
    }
}
