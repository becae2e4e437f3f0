package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.fendersec.detect.sigma.DetectionNode;
import io.fendersec.detect.sigma.DetectionParser;

/**
 * One search identifier of a rule under processing, as pySigma models it: detection items linked
 * by AND (a mapping) or OR (a list of mappings, or the alternatives a one-to-many field mapping
 * makes), nested. A field mapped to several fields becomes an OR group in place of its item, which
 * the YAML form of a selection could not say.
 */
sealed interface Detection permits Detection.Group, DetectionItem {
    /** Items joined by AND or OR. */
    final class Group implements Detection {
        final boolean or;
        final List<Detection> parts;

        Group(boolean or, List<Detection> parts) {
            this.or = or;
            this.parts = new ArrayList<>(parts);
        }
    }

    /** Every item, depth first. */
    default void forEachItem(Consumer<DetectionItem> f) {
        if (this instanceof DetectionItem i) {
            f.accept(i);
        } else {
            for (Detection d : ((Group) this).parts) {
                d.forEachItem(f);
            }
        }
    }

    /**
     * This detection with each item replaced by what {@code f} returns: the item itself, another
     * detection, or null to drop it. A group left empty stays, empty: {@link #compile} refuses it.
     */
    default Detection replaceItems(UnaryOperator<Detection> f) {
        if (this instanceof DetectionItem i) {
            return f.apply(i);
        }
        Group g = (Group) this;
        List<Detection> out = new ArrayList<>();
        for (Detection d : g.parts) {
            Detection r = d.replaceItems(f);
            if (r != null) {
                out.add(r);
            }
        }
        return new Group(g.or, out);
    }

    /** Whether no item is left (every one dropped). */
    default boolean isEmpty() {
        boolean[] any = {false};
        forEachItem(i -> any[0] = true);
        return !any[0];
    }

    /** The parsed form the compiler reads: each item through the rule parser, groups as AND/OR. */
    default DetectionNode compile(DetectionParser parser) {
        if (this instanceof DetectionItem i) {
            return new DetectionNode.Test(parser.field(i.key(), i.valueNode()));
        }
        Group g = (Group) this;
        List<DetectionNode> parts = new ArrayList<>();
        for (Detection d : g.parts) {
            if (!d.isEmpty()) {
                parts.add(d.compile(parser));
            }
        }
        return g.or ? DetectionNode.or(parts) : DetectionNode.and(parts);
    }
}
