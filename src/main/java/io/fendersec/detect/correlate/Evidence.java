package io.fendersec.detect.correlate;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An episode's evidence: an immutable list of log uuids that grows by one uuid at a time as
 * matches extend the episode (a detection alerting on its own gains one per log, up to the cap).
 *
 * <p>Copying the list and scanning it for each new uuid made every extension O(cap). Here the
 * lists of one episode share their arrays: appending to the latest list writes the next free
 * slot, which no list sees (each reads only up to its own size), and a lookup compares the
 * uuids' hash codes, kept in an array beside them, before any string. An older list that is
 * appended to copies, as does one whose arrays are full. Only the operator's thread appends;
 * checkpoints and state copies go through serialization, so no other thread shares the arrays.
 */
final class Evidence extends AbstractList<String> implements RandomAccess {
    private static final Evidence EMPTY = new Evidence(new String[0], new int[0], 0, new Tip(0));

    /** How many slots of the shared arrays some list uses: only the list of that size may write on. */
    private static final class Tip {
        int used;

        Tip(int used) {
            this.used = used;
        }
    }

    private final String[] uuids;
    private final int[] hashes;
    private final int size;
    private final Tip tip;

    private Evidence(String[] uuids, int[] hashes, int size, Tip tip) {
        this.uuids = uuids;
        this.hashes = hashes;
        this.size = size;
        this.tip = tip;
    }

    /** {@code uuids} as evidence: itself if it is one, else a copy (nulls rejected, as {@link List#copyOf}). */
    static Evidence of(List<String> uuids) {
        if (uuids instanceof Evidence) {
            return (Evidence) uuids;
        }
        if (uuids.isEmpty()) {
            return EMPTY;
        }
        String[] u = uuids.toArray(new String[0]);
        int[] h = new int[u.length];
        for (int i = 0; i < u.length; i++) {
            h[i] = Objects.requireNonNull(u[i]).hashCode();
        }
        return new Evidence(u, h, u.length, new Tip(u.length));
    }

    /** This list followed by {@code uuid}. */
    Evidence plus(String uuid) {
        int hash = uuid.hashCode();
        if (tip.used == size && size < uuids.length) {
            uuids[size] = uuid;
            hashes[size] = hash;
            tip.used++;
            return new Evidence(uuids, hashes, size + 1, tip);
        }
        int capacity = Math.max(4, size * 2);
        String[] u = new String[capacity];
        int[] h = new int[capacity];
        System.arraycopy(uuids, 0, u, 0, size);
        System.arraycopy(hashes, 0, h, 0, size);
        u[size] = uuid;
        h[size] = hash;
        return new Evidence(u, h, size + 1, new Tip(size + 1));
    }

    @Override
    public String get(int index) {
        Objects.checkIndex(index, size);
        return uuids[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public int indexOf(Object o) {
        if (o == null) {
            return -1;
        }
        int hash = o.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && uuids[i].equals(o)) {
                return i;
            }
        }
        return -1;
    }
}
