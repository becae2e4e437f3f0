package io.fendersec.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.fendersec.api.App;
import io.fendersec.api.BugfenderApi;
import io.fendersec.api.LogPage;
import io.fendersec.api.LogQuery;
import io.fendersec.model.LogRecord;

/**
 * A test-only, in-memory {@link BugfenderApi} following the paging contract of docs/bugfender-api.md,
 * for pure unit tests of positions and split planning. Integration tests use the real emulator and client.
 */
public final class FakePagedApi implements BugfenderApi {
    private final Map<String, List<LogRecord>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicInteger snapshotIds = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    private volatile boolean previousOnFirstOnly;

    /**
     * Serves the second reading of the paging contract: only the answer that fixed a snapshot
     * carries {@code previous}; pages fetched by cursor link by {@code next} alone.
     */
    public FakePagedApi previousOnFirstAnswerOnly() {
        previousOnFirstOnly = true;
        return this;
    }

    private static final class Snapshot {
        final LogQuery query;
        final List<LogRecord> newestFirst;
        final int arrivedBefore;

        Snapshot(LogQuery query, List<LogRecord> newestFirst, int arrivedBefore) {
            this.query = query;
            this.newestFirst = newestFirst;
            this.arrivedBefore = arrivedBefore;
        }
    }

    public void addApp(String app) {
        arrivals.putIfAbsent(app, new CopyOnWriteArrayList<>());
    }

    public void append(String app, List<LogRecord> logs) {
        addApp(app);
        arrivals.get(app).addAll(logs);
    }

    public static LogRecord log(String app, String uuid, Instant time) {
        return LogRecord.builder().put("uuid", uuid).put("app", app).put("time", time.toString())
                .put("absolute_time", time.toEpochMilli()).build();
    }

    @Override
    public List<App> apps() {
        requests.incrementAndGet();
        return arrivals.keySet().stream().sorted().map(id -> new App(id, id)).collect(Collectors.toList());
    }

    @Override
    public LogPage firstPage(LogQuery q) {
        requests.incrementAndGet();
        List<LogRecord> arrived = new ArrayList<>(arrivals.getOrDefault(q.appId(), List.of()));
        List<LogRecord> matching = arrived.stream().filter(r -> matches(q, r))
                .sorted(Comparator.comparing(LogRecord::time).thenComparingLong(LogRecord::absoluteTime).reversed())
                .collect(Collectors.toList());
        String id = "s" + snapshotIds.incrementAndGet();
        snapshots.put(id, new Snapshot(q, matching, arrived.size()));
        return snapshotPage(id, 0, true);
    }

    private LogPage snapshotPage(String id, int k, boolean fixing) {
        Snapshot s = snapshots.get(id);
        int n = s.query.pageSize();
        int pages = (s.newestFirst.size() + n - 1) / n;
        List<LogRecord> data = s.newestFirst.subList(Math.min(k * n, s.newestFirst.size()),
                Math.min((k + 1) * n, s.newestFirst.size()));
        String tail = "fake://" + id + "/tail/" + s.arrivedBefore;
        String prev = previousOnFirstOnly && !fixing ? null : k == 0 ? tail : "fake://" + id + "/page/" + (k - 1);
        String next = k + 1 < pages ? "fake://" + id + "/page/" + (k + 1) : null;
        String last = pages == 0 ? null : "fake://" + id + "/page/" + (pages - 1);
        return new LogPage("fake://" + id + "/page/" + k, data, next, prev, last, id);
    }

    @Override
    public LogPage page(String url) {
        requests.incrementAndGet();
        String[] p = url.substring("fake://".length()).split("/");
        String id = p[0];
        int k = Integer.parseInt(p[2]);
        if (p[1].equals("page")) {
            return snapshotPage(id, k, false);
        }
        Snapshot s = snapshots.get(id);
        List<LogRecord> all = arrivals.getOrDefault(s.query.appId(), List.of());
        List<LogRecord> data = new ArrayList<>();
        int pos = k;
        for (; pos < all.size() && data.size() < s.query.pageSize(); pos++) {
            if (matches(s.query, all.get(pos))) {
                data.add(all.get(pos));
            }
        }
        String previous = data.isEmpty() ? null : "fake://" + id + "/tail/" + pos;
        return new LogPage(url, data, null, previous, null, id);
    }

    private static boolean matches(LogQuery q, LogRecord r) {
        Instant t = r.time();
        return !t.isBefore(q.from()) && (q.to() == null || t.isBefore(q.to()));
    }

    @Override
    public long count(LogQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void download(LogQuery query, Consumer<LogRecord> consumer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Duration clockSkew() {
        return Duration.ZERO;
    }

    @Override
    public void close() {}
}
