package io.fendersec.detect.rule;

import java.util.Set;

import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.EventPredicate;
import io.fendersec.detect.sigma.RequiredLiterals;

/**
 * A Sigma detection rule compiled to a predicate over one (normalized) log.
 *
 * @param required literals one of which every matching log holds (see {@link RequiredLiterals}),
 *                 or null when unknown: lets the matcher skip the rule for most logs
 */
public record DetectionRule(RuleInfo info, EventPredicate predicate, Set<RequiredLiterals.Literal> required)
        implements Rule {
    public DetectionRule {
        required = required == null ? null : Set.copyOf(required);
    }

    public DetectionRule(RuleInfo info, EventPredicate predicate) {
        this(info, predicate, null);
    }

    public boolean matches(Event e) {
        return predicate.test(e);
    }

    @Override
    public String kind() {
        return "detection";
    }
}
