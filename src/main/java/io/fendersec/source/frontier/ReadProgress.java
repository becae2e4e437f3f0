package io.fendersec.source.frontier;

import java.util.Map;
import java.util.Set;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader to enumerator: how far its bounded slices have got. {@code floors} maps a split id to the
 * lowest event time (epoch millis) any of its logs not yet emitted can have; {@code finished} are
 * split ids read to their end.
 *
 * <p>A <em>full</em> report is sent once by each reader attempt when it starts, before it asks for a
 * split, and lists every split it holds (restored from a checkpoint: the enumerator does not know
 * them); it replaces what the enumerator believed that reader held. Later reports are updates.
 */
public final class ReadProgress implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final boolean full;
    private final Map<String, Long> floors;
    private final Set<String> finished;

    private ReadProgress(boolean full, Map<String, Long> floors, Set<String> finished) {
        this.full = full;
        this.floors = Map.copyOf(floors);
        this.finished = Set.copyOf(finished);
    }

    /** Everything a reader holds as it starts: each split with its floor. */
    public static ReadProgress full(Map<String, Long> floors) {
        return new ReadProgress(true, floors, Set.of());
    }

    /** Splits whose floor moved up. */
    public static ReadProgress moved(Map<String, Long> floors) {
        return new ReadProgress(false, floors, Set.of());
    }

    /** Splits read to their end. */
    public static ReadProgress finished(Set<String> splitIds) {
        return new ReadProgress(false, Map.of(), splitIds);
    }

    public boolean isFull() {
        return full;
    }

    public Map<String, Long> floors() {
        return floors;
    }

    public Set<String> finished() {
        return finished;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReadProgress)) {
            return false;
        }
        ReadProgress p = (ReadProgress) o;
        return p.full == full && p.floors.equals(floors) && p.finished.equals(finished);
    }

    @Override
    public int hashCode() {
        return (full ? 1 : 0) + 31 * floors.hashCode() + 961 * finished.hashCode();
    }

    @Override
    public String toString() {
        return "ReadProgress{" + (full ? "full, " : "") + "floors=" + floors + ", finished=" + finished + "}";
    }
}
