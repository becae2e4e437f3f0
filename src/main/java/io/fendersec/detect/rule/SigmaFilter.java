package io.fendersec.detect.rule;

import java.io.Serializable;
import java.util.List;

import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.EventPredicate;

/**
 * A Sigma filter (Sigma Filters specification v2.0.0): a document with {@code filter:} naming the
 * rules it applies to, with selections and a condition of its own. Each named rule's condition
 * becomes {@code (rule condition) and (filter condition)}, as pySigma and the SigmaHQ
 * documentation apply it: {@code condition: not selection} leaves out what the selection
 * matches, {@code condition: selection} keeps only that.
 *
 * @param id        its {@code name}, else its {@code id}, else its title
 * @param rules     the ids of the rules it applies to (resolved from ids or names)
 * @param condition the filter's compiled condition: a match of a named rule counts only when it holds
 * @param source    "file:line"
 */
public record SigmaFilter(String id, String title, List<String> rules, String source, EventPredicate condition)
        implements Serializable {
    public SigmaFilter {
        rules = List.copyOf(rules);
    }

    /** Whether a log that matched one of the rules is dropped by this filter. */
    public boolean drops(Event e) {
        return !condition.test(e);
    }
}
