package io.fendersec.source.enumerator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import io.fendersec.api.LogQuery;
import io.fendersec.source.ReadRange;
import io.fendersec.source.SourceSettings;

/** Turns an app into the queries its splits read: time slices (bounded) or one open range (continuous). */
final class QueryPlanner {
    /** Oldest first, so that bounded splits are fixed and assigned in time order across apps. */
    static final Comparator<LogQuery> OLDEST_FIRST = Comparator.comparing(LogQuery::from)
            .thenComparing(LogQuery::appId)
            .thenComparing(q -> q.to() == null ? Instant.MAX : q.to());

    private final SourceSettings settings;
    private final ReadRange range;
    private final Supplier<Instant> clock;

    QueryPlanner(SourceSettings settings, ReadRange range, Supplier<Instant> clock) {
        this.settings = settings;
        this.range = range;
        this.clock = clock;
    }

    List<LogQuery> plan(String appId) {
        List<LogQuery> out = new ArrayList<>();
        if (!settings.bounded()) {
            out.add(query(appId, range.from(), null));
            return out;
        }
        // Without an end, slices run up to now and the last one stays open: its snapshot, fixed when
        // the split is made, is what "up to now" means.
        Instant end = range.to() != null ? range.to() : clock.get();
        Instant t = range.from();
        while (true) {
            Instant next = t.plus(settings.slice());
            if (!next.isBefore(end)) {
                out.add(query(appId, t, range.to()));
                return out;
            }
            out.add(query(appId, t, next));
            t = next;
        }
    }

    private LogQuery query(String appId, Instant from, Instant to) {
        return LogQuery.builder(appId, from).to(to).pageSize(settings.pageSize()).build();
    }
}
