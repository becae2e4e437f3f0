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
import io.fendersec.detect.sigma.StartLiterals;
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
    /** Where matches can start, for a cheaper search than RE2/J's unanchored one; null if unknown. */
    private final StartLiterals starts;
    /** A check the captured value must pass (null = none), e.g. {@code luhn} for card numbers. */
    private final ValueCheck check;
    /** Lower-case literals one of which the source must contain (a hint from the rule author; empty = none). */
    private final java.util.List<String> hints;

    /** Checks an extractor may require of its captured value. */
    public static final String CHECK_LUHN = "luhn";
    private final String constant;
    private final EventPredicate when;
    private final int group;

    private Extractor(Builder b, Pattern regex, EventPredicate when) {
        this.field = b.field;
        this.from = b.from;
        this.regex = regex;
        this.prefilter = LiteralPrefilter.forRegex(regex.pattern());
        this.starts = StartLiterals.forRegex(regex);
        this.check = ValueCheck.of(b.check);
        this.hints = java.util.List.copyOf(b.prefilter);
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
        return extractFrom(FROM_KEY_VALUE.equals(from) ? kvText : event.get(from), event, folded);
    }

    /** Like {@link #extract}, with the source text ({@link #from()}'s value) already looked up. */
    String extractFrom(String source, Event event, FoldedTexts folded) {
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
        if (!hints.isEmpty()) {
            // folded, not only lower-cased: it may let more texts through, never fewer
            String lower = folded.of(source);
            if (hints.stream().noneMatch(lower::contains)) {
                return null;
            }
        }
        if (starts != null && check == null) {
            StartLiterals.Found f = starts.find(source, folded.of(source));
            return f == null ? null : constant != null ? constant : nonEmpty(f.group(group));
        }
        if (check != null && !check.mayPassWithin(source)) {
            return null; // nothing in the text can pass the check: the regex need not run
        }
        Matcher m = regex.matcher(source);
        boolean found = m.find();
        // With a check, the first match that passes it counts: an order number before a card
        // number in the same text must not hide the card.
        while (found && check != null && !check.test(m.group(group))) {
            found = m.find();
        }
        if (!found) {
            return null;
        }
        if (constant != null) {
            return constant;
        }
        return nonEmpty(m.group(group));
    }

    private static String nonEmpty(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    /** Where the regex runs: {@code text}, {@link #FROM_KEY_VALUE}, or a field name. */
    String from() {
        return from;
    }

    /** The constant this extractor stores instead of a captured value, or null. */
    String constant() {
        return constant;
    }

    /** The regex (for {@link SecretRedactor}, which replaces what it matches). */
    Pattern regex() {
        return regex;
    }

    /** The group whose text is the value: 0 for the whole match. */
    int group() {
        return group;
    }

    /** The check a captured value must pass, or null. */
    ValueCheck check() {
        return check;
    }

    /** The literal prefilter derived from the regex, or null when it must always run. */
    LiteralPrefilter prefilter() {
        return prefilter;
    }

    /** Builds an extractor, checking everything at once: a bad one fails configuration, not the job. */
    public static final class Builder {
        private String check;
        private java.util.List<String> prefilter = java.util.List.of();
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

        /**
         * A check the captured value must pass: {@code luhn} (13 to 19 digits passing the Luhn check),
         * {@code iban} (an IBAN passing the ISO 13616 mod-97 check), {@code basic-credentials} (base64 of
         * {@code user:password}), {@code jwt} (a JSON header).
         */
        public Builder check(String c) {
            this.check = c;
            return this;
        }

        /**
         * A speed hint: the regex only runs when the source contains one of these literals
         * (compared lower-case). It must be implied by the regex, or it changes what is extracted.
         */
        public Builder prefilter(java.util.List<String> literals) {
            this.prefilter = literals.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
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
                p = io.fendersec.detect.sigma.SafeRegex.compile(regex, 0);
            } catch (PatternSyntaxException | IllegalArgumentException e) {
                throw new ConfigException(where + ": extractor for '" + field + "': bad regex: " + e.getMessage());
            }
            if (check != null && ValueCheck.of(check) == null) {
                throw new ConfigException(where + ": extractor for '" + field + "': unknown check '" + check + "' ("
                        + ValueCheck.names() + ")");
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
