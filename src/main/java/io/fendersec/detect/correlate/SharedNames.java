package io.fendersec.detect.correlate;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance per distinct rule id, field name and app id among the hits read from the wire or
 * from state. A correlation group keeps every hit of its window, and each hit named its rules, its
 * app and its group's field names with strings of its own: four of a hit's eight or nine strings,
 * ≈ 220 bytes per hit, 220 MB for the million hits a stuffing hour keeps (issue 26 §1, heap
 * histogram). These names come from the rule set and the job's apps, so they are few; the table
 * still stops growing at {@link #CAP} entries, since nothing here may grow with what the logs hold.
 * Values the logs choose (accounts, devices, uuids) never come here.
 */
final class SharedNames {
    static final int CAP = 4_096;

    private static final SharedNames ALL = new SharedNames(CAP);

    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();
    private final int cap;

    SharedNames(int cap) {
        this.cap = cap;
    }

    /** The shared instance equal to {@code s} (null stays null; past the cap, {@code s} itself). */
    static String of(String s) {
        return ALL.share(s);
    }

    String share(String s) {
        if (s == null) {
            return null;
        }
        String known = names.get(s);
        if (known != null) {
            return known;
        }
        if (names.size() >= cap) {
            return s;
        }
        String before = names.putIfAbsent(s, s);
        return before == null ? s : before;
    }

    int size() {
        return names.size();
    }
}
