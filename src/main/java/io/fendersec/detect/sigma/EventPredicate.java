package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.List;

/** A compiled detection (or part of one). Serializable: compiled rules travel inside Flink operators. */
@FunctionalInterface
public interface EventPredicate extends Serializable {
    boolean test(Event event);

    static EventPredicate and(List<EventPredicate> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        EventPredicate[] ps = parts.toArray(new EventPredicate[0]);
        return e -> {
            for (EventPredicate p : ps) {
                if (!p.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    static EventPredicate or(List<EventPredicate> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        EventPredicate[] ps = parts.toArray(new EventPredicate[0]);
        return e -> {
            for (EventPredicate p : ps) {
                if (p.test(e)) {
                    return true;
                }
            }
            return false;
        };
    }

    static EventPredicate not(EventPredicate p) {
        return e -> !p.test(e);
    }
}
