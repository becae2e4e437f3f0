package io.fendersec.detect;

import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.EventPredicate;

/** A Sigma detection rule compiled to a predicate over one (normalized) log. */
public record DetectionRule(RuleInfo info, EventPredicate predicate) implements Rule {
    public boolean matches(Event e) {
        return predicate.test(e);
    }

    @Override
    public String kind() {
        return "detection";
    }
}
