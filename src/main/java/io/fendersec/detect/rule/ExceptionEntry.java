package io.fendersec.detect.rule;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import io.fendersec.detect.sigma.Event;
import io.fendersec.detect.sigma.EventPredicate;

/**
 * One entry of a {@code rules.exceptions} file: logs whose {@code field} has one of {@code values}
 * do not count as matches of {@code rule} (a rule id, or {@code *} for every detection). Values are
 * Sigma strings (case-insensitive, {@code *} and {@code ?} wildcards); on an IP field
 * ({@link #isIpField}) they are addresses or CIDR networks.
 *
 * <p>Expiry is judged against processing time (the clock of the matching operator), never the
 * log's device time: a device's clock is the attacker's to set, and a log dated in the past must
 * not revive an expired exception.
 *
 * @param id        the exception's name in counts and metrics: its {@code id:}, else derived from rule and field
 * @param rule      the rule id it silences, or {@code *}
 * @param expires   the last day it applies (UTC), or null for never
 * @param covers    whether a log has one of the values in the field
 * @param source    "file: exceptions[i]" for messages
 * @param allowAll  the entry says {@code allow-all: true}: a value that matches every value is meant
 *                  ({@link #matchesEverything}); listings warn of it
 */
public record ExceptionEntry(String id, String rule, String field, List<String> values, LocalDate expires,
                             String reason, String source, EventPredicate covers, boolean allowAll)
        implements Serializable {
    /** The rule name that means every detection rule. */
    public static final String ANY_RULE = "*";

    public ExceptionEntry {
        values = List.copyOf(values);
    }

    /** ECS names IP fields {@code ip} or {@code *.ip} ({@code source.ip}, {@code client.ip}). */
    public static boolean isIpField(String field) {
        return field.equals("ip") || field.endsWith(".ip");
    }

    /** The first moment it no longer applies: midnight UTC after {@code expires}; {@link Long#MAX_VALUE} for never. */
    public long expiresAtMillis() {
        return expires == null ? Long.MAX_VALUE
                : expires.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public boolean activeAt(Instant now) {
        return now.toEpochMilli() < expiresAtMillis();
    }

    /** The same entry for {@code rule} (a Sigma name resolved to the rule's id). */
    public ExceptionEntry withRule(String rule) {
        return new ExceptionEntry(id, rule, field, values, expires, reason, source, covers, allowAll);
    }

    /**
     * Whether {@code value} of an exception on {@code field} matches every value the field can
     * have: a network of prefix length 0 on an IP field ({@code 0.0.0.0/0}, {@code ::/0},
     * {@code 1.2.3.4/0}); elsewhere a Sigma string of only unescaped wildcards with a {@code *}
     * ({@code *}, {@code **}, {@code ?*}: the last misses only the empty value).
     */
    public static boolean matchesEverything(String field, String value) {
        String v = value.strip();
        if (isIpField(field)) {
            int slash = v.lastIndexOf('/');
            return slash >= 0 && v.substring(slash + 1).strip().replaceFirst("^0+(?=.)", "").equals("0");
        }
        return !v.isEmpty() && v.indexOf('*') >= 0 && v.chars().allMatch(c -> c == '*' || c == '?');
    }

    /** Whether one of the values matches every value ({@link #matchesEverything}). */
    public boolean silencesEverything() {
        return values.stream().anyMatch(v -> matchesEverything(field, v));
    }

    public boolean covers(Event e) {
        return covers.test(e);
    }

    /** For listings: "active", "active until DATE" or "expired after DATE". */
    public String status(Instant now) {
        if (expires == null) {
            return "active";
        }
        return activeAt(now) ? "active until " + expires : "expired after " + expires;
    }
}
