package io.fendersec.detect.sigma;

import java.io.Serializable;
import java.util.List;

/**
 * A parsed detection: the condition with its search identifiers resolved, down to
 * {@link FieldTest} leaves. A map is an {@link And} of its fields, a list of maps an {@link Or},
 * {@code 1 of} an {@link Or}, {@code all of} an {@link And}. The single representation of a rule
 * that the compiler and the rule index both read.
 */
public sealed interface DetectionNode extends Serializable {
    record And(List<DetectionNode> parts) implements DetectionNode {
        public And {
            parts = List.copyOf(parts);
        }
    }

    record Or(List<DetectionNode> parts) implements DetectionNode {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    record Not(DetectionNode inner) implements DetectionNode {}

    record Test(FieldTest test) implements DetectionNode {}

    static DetectionNode and(List<DetectionNode> parts) {
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    static DetectionNode or(List<DetectionNode> parts) {
        return parts.size() == 1 ? parts.get(0) : new Or(parts);
    }
}
