package io.fendersec.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.core.memory.DataOutputSerializer;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.correlate.GroupClock;
import io.fendersec.detect.correlate.GroupClockSerializer;
import io.fendersec.detect.correlate.Hit;
import io.fendersec.detect.correlate.KeyState;
import io.fendersec.detect.correlate.KeyStateSerializer;
import io.fendersec.detect.engine.CorrelationProcessor;
import io.fendersec.model.Alert;

/**
 * Bytes per group and correlation type in the correlate stage's state (issue 26): one group's
 * rule state after {@code n} hits (each its own log, account and uuid, as in a credential-stuffing
 * hour), serialized as the RocksDB backend stores it (the rule map entry: rule id + {@link KeyState},
 * plus the group's 16-byte clock) and on the heap (used heap after full GCs, over {@code groups}
 * groups, divided). Run: {@code java -Xmx2g -cp ... io.fendersec.bench.GroupStateBytes 20000}.
 */
public final class GroupStateBytes {
    private static final String RULES = """
            title: Failed login
            name: failed-login
            logsource: {product: bugfender}
            detection:
              sel: {text|contains: 'Login failed'}
              condition: sel
            ---
            title: ec
            name: ec
            correlation: {type: event_count, rules: [failed-login], group-by: [source.ip], timespan: 5m, condition: {gte: 1000}}
            ---
            title: vc
            name: vc
            correlation: {type: value_count, rules: [failed-login], group-by: [source.ip], timespan: 5m, condition: {gte: 1000, field: user.name}}
            ---
            title: tp
            name: tp
            correlation: {type: temporal, rules: [failed-login, ec], group-by: [source.ip], timespan: 5m}
            ---
            title: to
            name: to
            correlation: {type: temporal_ordered, rules: [failed-login, ec], group-by: [source.ip], timespan: 5m}
            ---
            title: rs
            name: rs
            correlation: {type: rate_spike, rules: [failed-login], group-by: [source.ip], timespan: 30m, baseline: 6h, condition: {ratio_gte: 5, min_count: 1000}}
            ---
            title: it
            name: it
            correlation: {type: impossible_travel, rules: [failed-login], group-by: [source.ip], timespan: 2h}
            """;

    private GroupStateBytes() {}

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        RuleSet rules = RuleLoader.create().text("bytes.yml", RULES).load();
        CorrelationProcessor p = new CorrelationProcessor(rules, DetectionSettings.defaults());
        System.out.println("| type | hits per group | serialized bytes (rule entry + clock) | heap bytes per group |");
        System.out.println("|---|---|---|---|");
        for (String rule : List.of("ec", "vc", "tp", "to", "rs", "it")) {
            for (int n : new int[] {1, 10}) {
                long serialized = serialized(rule, state(p, rule, 0, n));
                long heap = heapPerGroup(p, rule, n, groups);
                System.out.printf("| %s | %d | %d | %d |%n", rules.rule(rule).kind(), n, serialized, heap);
            }
        }
    }

    private static KeyState state(CorrelationProcessor p, String rule, int g, int n) {
        KeyState ks = new KeyState();
        CorrelationProcessor.Output none = new CorrelationProcessor.Output() {
            @Override
            public void alert(Alert alert) {}

            @Override
            public void chained(Hit hit) {}
        };
        long t0 = 1_795_000_000_000L;
        for (int i = 0; i < n; i++) {
            String value = rule.equals("it") ? "48.85,2.35" : "user" + g + "-" + i + "@example.com";
            Hit h = new Hit(rule, "failed-login", "stuffed", Map.of("source.ip", "10." + (g >> 16) + "." + ((g >> 8) & 255) + "." + (g & 255)),
                    t0 + i * 1000L, value, "device-" + g, List.of(java.util.UUID.nameUUIDFromBytes((g + ":" + i).getBytes()).toString()));
            p.process(ks, h, none);
        }
        return ks;
    }

    private static long serialized(String rule, KeyState ks) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(rule);
        KeyStateSerializer.INSTANCE.serialize(ks, out);
        GroupClockSerializer.INSTANCE.serialize(new GroupClock(GroupClock.NONE, 1L), out);
        return out.length();
    }

    private static long heapPerGroup(CorrelationProcessor p, String rule, int n, int groups) {
        long before = used();
        List<KeyState> kept = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            kept.add(state(p, rule, g, n));
        }
        long after = used();
        if (kept.size() != groups) {
            throw new AssertionError();
        }
        return (after - before) / groups;
    }

    private static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
