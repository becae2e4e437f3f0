package io.fendersec.detect.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.detect.load.RuleFingerprints;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.reload.RuleSnapshot;
import io.fendersec.detect.reload.RuleSnapshotTypeInfoFactory;
import io.fendersec.detect.reload.WatchedRules;
import io.fendersec.error.ConfigException;

/**
 * The rules a live detection operator runs with: the snapshot in force, compiled once per
 * subtask and change. The snapshot lives in broadcast state ({@link #STATE}), so it is part of
 * every checkpoint, and on restore the snapshot there wins over the rules compiled when the job
 * was submitted: the keyed state was built under it. (If the files changed meanwhile, the watch
 * source emits them as a change at its first look, and rules that changed start empty then.)
 */
final class RulesInForce implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RulesInForce.class);

    /** One entry, {@link #KEY}: the snapshot in force. */
    static final MapStateDescriptor<String, RuleSnapshot> STATE = new MapStateDescriptor<>("rules-in-force",
            Types.STRING, RuleSnapshotTypeInfoFactory.TYPE);
    static final String KEY = "rules";

    /** A change of rules: the new rules, and the rules of the old whose state cannot be kept. */
    record Change(RuleSnapshot snapshot, RuleSet rules, Set<String> restarted) {}

    private final WatchedRules watched;
    private RuleSnapshot snapshot;
    private RuleSet rules;
    private transient Map<String, String> fingerprints;

    RulesInForce(WatchedRules watched, RuleSnapshot initial, RuleSet initialRules) {
        this.watched = watched;
        this.snapshot = initial;
        this.rules = initialRules;
    }

    RuleSet rules() {
        return rules;
    }

    RuleSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Takes the snapshot a restored operator finds in broadcast state, when it differs from the
     * one it was built with. Returns whether the rules changed.
     */
    boolean restore(BroadcastState<String, RuleSnapshot> state) throws Exception {
        RuleSnapshot restored = state.get(KEY);
        if (restored == null || restored.digest().equals(snapshot.digest())) {
            return false;
        }
        try {
            rules = watched.compile(restored);
            snapshot = restored;
            fingerprints = null;
            return true;
        } catch (ConfigException e) {
            // Only if the job was restarted with other fixed settings: the current files apply.
            LOG.warn("the rules in force when the checkpoint was taken ({}) do not load with this job's settings, "
                    + "using the rules the job was started with: {}", restored.shortDigest(), e.getMessage());
            return false;
        }
    }

    /**
     * Applies a snapshot from the watch source: null when it is the one in force, else the change.
     *
     * @throws ConfigException when it does not compile (the rules in force stay)
     */
    Change apply(RuleSnapshot next) {
        if (next.digest().equals(snapshot.digest())) {
            return null;
        }
        RuleSet compiled = watched.compile(next);
        Map<String, String> before = fingerprints();
        Map<String, String> after = RuleFingerprints.of(compiled, texts(next));
        snapshot = next;
        rules = compiled;
        fingerprints = after;
        return new Change(next, compiled, RuleFingerprints.restarted(before, after));
    }

    private Map<String, String> fingerprints() {
        if (fingerprints == null) {
            fingerprints = RuleFingerprints.of(rules, texts(snapshot));
        }
        return fingerprints;
    }

    private static Map<String, String> texts(RuleSnapshot s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RuleSnapshot.Entry e : s.entries(RuleSnapshot.Kind.SIGMA)) {
            out.put(e.name(), e.text());
        }
        return out;
    }
}
