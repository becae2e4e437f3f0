package io.fendersec.detect.sigma;

import java.util.Locale;

/**
 * The value modifiers of the Sigma specification (appendix "modifiers", v2.1), each with its role:
 * what it does to values, to the comparison or to the field. The parser checks combinations with
 * these roles; the compiler and the rule index read the resulting {@link FieldTest}, never the
 * modifier names.
 */
public enum Modifier {
    CONTAINS(Role.WILDCARDS), STARTSWITH(Role.WILDCARDS), ENDSWITH(Role.WILDCARDS),
    ALL(Role.COMBINE),
    EXISTS(Role.PRESENCE),
    CASED(Role.COMPARISON),
    NEQ(Role.NEGATION),
    WINDASH(Role.TRANSFORM), EXPAND(Role.TRANSFORM),
    BASE64(Role.ENCODING), BASE64OFFSET(Role.ENCODING),
    UTF16LE(Role.ENCODING), UTF16BE(Role.ENCODING), UTF16(Role.ENCODING), WIDE(Role.ENCODING),
    RE(Role.TYPE), I(Role.REGEX_FLAG), M(Role.REGEX_FLAG), S(Role.REGEX_FLAG),
    CIDR(Role.TYPE),
    LT(Role.TYPE), LTE(Role.TYPE), GT(Role.TYPE), GTE(Role.TYPE),
    FIELDREF(Role.TYPE),
    MINUTE(Role.TIME_PART), HOUR(Role.TIME_PART), DAY(Role.TIME_PART), WEEK(Role.TIME_PART),
    MONTH(Role.TIME_PART), YEAR(Role.TIME_PART);

    /** What a modifier acts on. */
    public enum Role {
        /** Puts {@code *} around the value: at most one of them. */
        WILDCARDS,
        /** Turns the OR of a value list into an AND. */
        COMBINE,
        /** Tests presence instead of values: nothing else goes with it. */
        PRESENCE,
        /** Changes how values compare (case). */
        COMPARISON,
        /** The field differs from every value. */
        NEGATION,
        /** Rewrites string values, in the order written (windash, expand). */
        TRANSFORM,
        /** Encodes string values, in the order written; refuses wildcards in what it encodes. */
        ENCODING,
        /** Makes the value something else than a Sigma string: regex, network, number, field name. */
        TYPE,
        /** A flag of {@code re}. */
        REGEX_FLAG,
        /** Reads a part of the field's date value as a number. */
        TIME_PART
    }

    private final Role role;

    Modifier(Role role) {
        this.role = role;
    }

    public Role role() {
        return role;
    }

    /** The name as written in rules. */
    public String sigmaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The modifier written {@code name}, or null when the specification has none by that name. */
    public static Modifier of(String name) {
        for (Modifier m : values()) {
            if (m.sigmaName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    public boolean isNumericComparison() {
        return this == LT || this == LTE || this == GT || this == GTE;
    }
}
