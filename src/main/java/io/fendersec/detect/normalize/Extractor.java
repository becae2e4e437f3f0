package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import io.fendersec.detect.sigma.DetectionCompiler;
import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.EventPredicate;
import io.fendersec.detect.sigma.LiteralPrefilter;
import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * One field extraction: run {@code regex} (RE2/J, so a user's pattern runs in linear time) over
 * the source, optionally only when a Sigma-style selection matches, and take the group named
 * {@code value}, else the first group, else the whole match, or a constant {@code value}.
 */
public final class Extractor implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads the log's key-value pair as the text {@code key=value}. */
    public static final String FROM_KEY_VALUE = "key_value";

    private final String field;
    private final String from;
    private final Pattern regex;
    private final LiteralPrefilter prefilter;
    private final String constant;
    private final EventPredicate when;
    private final int group;

    private Extractor(Builder b, Pattern regex, EventPredicate when) {
        this.field = b.field;
        this.from = b.from;
        this.regex = regex;
        this.prefilter = LiteralPrefilter.forRegex(regex.pattern());
        this.constant = b.value;
        this.when = when;
        int g = 0;
        if (regex.namedGroups().containsKey("value")) {
            g = regex.namedGroups().get("value");
        } else if (regex.groupCount() >= 1) {
            g = 1;
        }
        this.group = g;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String field() {
        return field;
    }

    /**
     * The extracted value, or null. {@code event} sees the fields extracted so far; {@code folded}
     * folds (and remembers) source texts for the literal prefilter, shared by a log's extractors.
     */
    String extract(Event event, String kvText, FoldedTexts folded) {
        String source = FROM_KEY_VALUE.equals(from) ? kvText : event.get(from);
        if (source == null) {
            return null;
        }
        // Cheapest test first: both 'when' and the regex must hold, and most logs fail the
        // prefilter or 'when', so the RE2 machine runs only where a match is possible.
        if (when != null && !when.test(event)) {
            return null;
        }
        if (prefilter != null && !prefilter.mayMatch(folded.of(source))) {
            return null;
        }
        Matcher m = regex.matcher(source);
        if (!m.find()) {
            return null;
        }
        if (constant != null) {
            return constant;
        }
        String v = m.group(group);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The literal prefilter derived from the regex, or null when it must always run. */
    LiteralPrefilter prefilter() {
        return prefilter;
    }

    /** Builds an extractor, checking everything at once: a bad one fails configuration, not the job. */
    public static final class Builder {
        private String field;
        private String from = "text";
        private String regex;
        private String value;
        private YamlNode when;
        private String where = "normalize.extract";

        public Builder field(String f) {
            this.field = f;
            return this;
        }

        /** {@code text} (default), {@code key_value}, or any field name. */
        public Builder from(String f) {
            this.from = f;
            return this;
        }

        public Builder regex(String r) {
            this.regex = r;
            return this;
        }

        /** A constant to store when the regex matches, instead of a captured group. */
        public Builder value(String v) {
            this.value = v;
            return this;
        }

        /** A Sigma selection (field|modifiers → values) that must match too. */
        public Builder when(Map<String, ?> selection) {
            this.when = selection == null ? null : YamlNode.of(selection, where);
            return this;
        }

        Builder when(YamlNode selection) {
            this.when = selection;
            return this;
        }

        /** Where this extractor was configured, for messages. */
        public Builder where(String w) {
            this.where = Objects.requireNonNull(w);
            return this;
        }

        public Extractor build() {
            if (field == null || field.isBlank()) {
                throw new ConfigException(where + ": an extractor needs 'field'");
            }
            if (from == null || from.isBlank()) {
                throw new ConfigException(where + ": 'from' is text, key_value or a field name");
            }
            if (regex == null || regex.isEmpty()) {
                throw new ConfigException(where + ": extractor for '" + field + "' needs 'regex'");
            }
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(where + ": extractor for '" + field + "': bad regex: " + e.getMessage());
            }
            EventPredicate w = null;
            if (when != null) {
                if (!when.isMap()) {
                    throw new ConfigException(where + ": 'when' is a selection mapping like {text|contains: x}");
                }
                w = DetectionCompiler.compileSearch(when);
            }
            return new Extractor(this, p, w);
        }
    }
}
