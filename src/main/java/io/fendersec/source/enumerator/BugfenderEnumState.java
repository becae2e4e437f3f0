package io.fendersec.source.enumerator;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.fendersec.api.LogQuery;
import io.fendersec.source.split.BugfenderSplit;

/**
 * What the enumerator checkpoints, immutable. Every query the enumerator has planned is in exactly
 * one place: {@code pendingQueries} (snapshot not fixed yet), {@code unassignedSplits} (fixed, not
 * handed to a reader), or in a reader's state (assigned). {@code knownApps} are the apps whose
 * queries were planned, so discovery does not plan them twice.
 */
public final class BugfenderEnumState {
    private final boolean initialDiscoveryDone;
    private final Set<String> knownApps;
    private final List<LogQuery> pendingQueries;
    private final List<BugfenderSplit> unassignedSplits;

    public BugfenderEnumState(boolean initialDiscoveryDone, Set<String> knownApps, List<LogQuery> pendingQueries,
            List<BugfenderSplit> unassignedSplits) {
        this.initialDiscoveryDone = initialDiscoveryDone;
        this.knownApps = Set.copyOf(new TreeSet<>(knownApps));
        this.pendingQueries = List.copyOf(pendingQueries);
        this.unassignedSplits = List.copyOf(unassignedSplits);
    }

    public static BugfenderEnumState initial() {
        return new BugfenderEnumState(false, Set.of(), List.of(), List.of());
    }

    public boolean initialDiscoveryDone() {
        return initialDiscoveryDone;
    }

    public Set<String> knownApps() {
        return knownApps;
    }

    public List<LogQuery> pendingQueries() {
        return pendingQueries;
    }

    public List<BugfenderSplit> unassignedSplits() {
        return unassignedSplits;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BugfenderEnumState)) {
            return false;
        }
        BugfenderEnumState s = (BugfenderEnumState) o;
        return s.initialDiscoveryDone == initialDiscoveryDone && s.knownApps.equals(knownApps)
                && s.pendingQueries.equals(pendingQueries) && s.unassignedSplits.equals(unassignedSplits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDiscoveryDone, knownApps, pendingQueries, unassignedSplits);
    }

    @Override
    public String toString() {
        return "BugfenderEnumState{discovered=" + initialDiscoveryDone + ", apps=" + knownApps.size() + ", pending="
                + pendingQueries.size() + ", unassigned=" + unassignedSplits.size() + "}";
    }
}
