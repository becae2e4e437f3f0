package io.fendersec.emulator.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.fendersec.model.LogRecord;

/**
 * Every app's logs, and the read contract over them: snapshots fixed by arrival sequence,
 * ordered by device time; tails in arrival order; stable cursors. The one place that knows the
 * paging rules of docs/emulator.md.
 */
public final class LogStore {
    /** Snapshots are recomputed only when a new one is taken; cursor reads of it hit this cache. */
    private static final int SNAPSHOT_CACHE_SIZE = 32;

    private final PagingLinks links;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, StoredLog[]> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StoredLog[]> eldest) {
            return size() > SNAPSHOT_CACHE_SIZE;
        }
    };

    /** A store whose snapshot pages link {@code previous} on every page. */
    public LogStore() {
        this(PagingLinks.ALL);
    }

    public LogStore(PagingLinks links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    /** An app as {@code /api/app/} lists it, with its logs. */
    public static final class App {
        private final String id;
        private final String name;
        private final AppLogStore logs;

        App(String id, String name) {
            this.id = id;
            this.name = name;
            this.logs = new AppLogStore(id);
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public AppLogStore logs() {
            return logs;
        }
    }

    public synchronized App addApp(String id, String name) {
        if (id == null || id.isEmpty() || name == null) {
            throw new IllegalArgumentException("an app needs an id and a name");
        }
        if (apps.containsKey(id)) {
            throw new IllegalArgumentException("app " + id + " exists already");
        }
        App app = new App(id, name);
        apps.put(id, app);
        return app;
    }

    public synchronized List<App> apps() {
        return Collections.unmodifiableList(new ArrayList<>(apps.values()));
    }

    public synchronized Optional<App> app(String id) {
        return Optional.ofNullable(apps.get(id));
    }

    /** Logs arriving now for {@code appId}, in arrival order. */
    public void append(String appId, List<LogRecord> records) {
        App app = app(appId).orElseThrow(() -> new IllegalArgumentException("no app " + appId));
        app.logs.append(records);
    }

    /** Reads one page: a new snapshot when {@code cursor} is null, else the cursor's page. */
    public ServedPage page(AppLogStore logs, StoreQuery query, int pageSize, Cursor cursor) {
        String fp = Cursor.fingerprint(query, pageSize);
        if (cursor != null && !cursor.fingerprint.equals(fp)) {
            throw new IllegalArgumentException(
                    "cursor was issued for other date_range/filter/page_size parameters than these");
        }
        if (cursor == null) {
            return snapshotPage(logs, query, pageSize, logs.newestSeq(), 0, fp, true);
        }
        if (cursor.kind == Cursor.Kind.SNAPSHOT) {
            if (cursor.position > logs.newestSeq()) {
                throw new IllegalArgumentException("cursor points past what this server holds");
            }
            return snapshotPage(logs, query, pageSize, cursor.position, cursor.page, fp, false);
        }
        if (cursor.position > logs.newestSeq()) {
            throw new IllegalArgumentException("cursor points past what this server holds");
        }
        return tailPage(logs, query, pageSize, cursor.position, fp);
    }

    /** The snapshot a new read would fix now, oldest first by (time, absolute_time): for download. */
    public List<StoredLog> snapshotAscending(AppLogStore logs, StoreQuery query) {
        StoredLog[] newestFirst = snapshot(logs, query, logs.newestSeq());
        StoredLog[] ascending = new StoredLog[newestFirst.length];
        for (int i = 0; i < newestFirst.length; i++) {
            ascending[i] = newestFirst[newestFirst.length - 1 - i];
        }
        return Arrays.asList(ascending);
    }

    /** The size of the snapshot a new read would fix now. */
    public int count(AppLogStore logs, StoreQuery query) {
        return snapshot(logs, query, logs.newestSeq()).length;
    }

    private ServedPage snapshotPage(AppLogStore logs, StoreQuery query, int pageSize, long h, int k, String fp,
            boolean fixing) {
        StoredLog[] s = snapshot(logs, query, h);
        int pages = (s.length + pageSize - 1) / pageSize;
        if (k > 0 && k >= pages) {
            throw new IllegalArgumentException("cursor points past the end of its snapshot");
        }
        int from = Math.min(k * pageSize, s.length);
        int to = Math.min(from + pageSize, s.length);
        List<StoredLog> data = Collections.unmodifiableList(Arrays.asList(s).subList(from, to));
        Cursor next = k + 1 < pages ? new Cursor(Cursor.Kind.SNAPSHOT, h, k + 1, fp) : null;
        Cursor previous;
        if (links == PagingLinks.FIRST && !fixing) {
            previous = null; // reading (b): pages reached by a cursor link by next alone
        } else {
            previous = k == 0 ? new Cursor(Cursor.Kind.TAIL, h, 0, fp) : new Cursor(Cursor.Kind.SNAPSHOT, h, k - 1, fp);
        }
        Cursor last = pages == 0 ? null : new Cursor(Cursor.Kind.SNAPSHOT, h, pages - 1, fp);
        return new ServedPage(data, next, previous, last, "s-" + logs.appId() + "-" + h + "-" + fp);
    }

    private ServedPage tailPage(AppLogStore logs, StoreQuery query, int pageSize, long after, String fp) {
        List<StoredLog> data = logs.tail(after, query, pageSize);
        Cursor previous = data.isEmpty() ? null
                : new Cursor(Cursor.Kind.TAIL, data.get(data.size() - 1).seq, 0, fp);
        return new ServedPage(data, null, previous, null, "t-" + logs.appId() + "-" + after + "-" + fp);
    }

    private StoredLog[] snapshot(AppLogStore logs, StoreQuery query, long h) {
        String key = logs.appId() + "|" + h + "|" + query.canonical();
        synchronized (snapshots) {
            StoredLog[] cached = snapshots.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Computed outside the lock: two readers may compute the same snapshot, both identical.
        StoredLog[] computed = logs.sortedSnapshot(h, query);
        synchronized (snapshots) {
            snapshots.put(key, computed);
        }
        return computed;
    }
}
