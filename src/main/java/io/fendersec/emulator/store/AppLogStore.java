package io.fendersec.emulator.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * One app's logs in arrival order. Appends are serialized; reads take no lock: a reader reads
 * {@code count} first, and every log below it was published before it (array then count, both
 * volatile), so a reader sees a consistent prefix of the arrival order.
 */
public final class AppLogStore {
    private static final String[] DEVICE_FIELDS = {
        LogFields.DEVICE_NAME, LogFields.DEVICE_TYPE, LogFields.OS_VERSION, LogFields.LANGUAGE, LogFields.TIMEZONE,
        LogFields.VERSION, LogFields.BUILD};

    private final String appId;
    private volatile StoredLog[] arrivals = new StoredLog[1024];
    private volatile int count;
    /** Devices by udid, first seen first, with the attributes of their first log. */
    private final Map<String, Map<String, Object>> devices = new LinkedHashMap<>();

    AppLogStore(String appId) {
        this.appId = appId;
    }

    public String appId() {
        return appId;
    }

    /** Stores logs arriving now, in the given order; returns their arrival sequence numbers' range end. */
    public synchronized long append(List<LogRecord> records) {
        // Serialize before publishing anything, so a bad record leaves the store unchanged.
        List<StoredLog> stored = new ArrayList<>(records.size());
        long seq = count;
        for (LogRecord r : records) {
            stored.add(new StoredLog(++seq, r, appId));
        }
        for (LogRecord r : records) {
            if (r.deviceUdid() != null && !devices.containsKey(r.deviceUdid())) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("udid", r.deviceUdid());
                for (String f : DEVICE_FIELDS) {
                    d.put(f, r.get(f));
                }
                devices.put(r.deviceUdid(), d);
            }
        }
        StoredLog[] a = arrivals;
        int n = count;
        if (n + stored.size() > a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, n + stored.size()));
        }
        for (StoredLog l : stored) {
            a[n++] = l;
        }
        arrivals = a;
        count = n;
        return n;
    }

    /** Devices seen so far, first seen first. */
    public synchronized List<Map<String, Object>> devices() {
        return new ArrayList<>(devices.values());
    }

    /** The newest arrival sequence number (0 when nothing arrived). */
    public long newestSeq() {
        return count;
    }

    /**
     * Matching logs that arrived at or before {@code h}, newest first by (time, absolute_time, uuid).
     */
    StoredLog[] sortedSnapshot(long h, StoreQuery query) {
        StoredLog[] a = arrivals;
        List<StoredLog> matching = new ArrayList<>();
        for (int i = 0; i < h; i++) {
            StoredLog l = a[i];
            if (query.matches(l)) {
                matching.add(l);
            }
        }
        StoredLog[] sorted = matching.toArray(new StoredLog[0]);
        Arrays.sort(sorted, StoredLog.NEWEST_FIRST);
        return sorted;
    }

    /** Up to {@code limit} matching logs with arrival seq greater than {@code after}, in arrival order. */
    List<StoredLog> tail(long after, StoreQuery query, int limit) {
        long h = count;
        StoredLog[] a = arrivals;
        List<StoredLog> out = new ArrayList<>(Math.min(limit, 1024));
        for (long seq = after + 1; seq <= h && out.size() < limit; seq++) {
            StoredLog l = a[(int) (seq - 1)];
            if (query.matches(l)) {
                out.add(l);
            }
        }
        return out;
    }
}
