package io.fendersec.detect.sigma;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;

/**
 * The time modifiers ({@code minute hour day week month year}): a number read from a date value.
 * Dates are ISO 8601 (with or without an offset, {@code T} or a space between date and time) or
 * epoch milliseconds; as the specification warns, no time zone conversion: a value with an
 * offset gives its local fields. A value that is no date gives no number.
 */
public final class TimeParts {
    /** A part of a date. */
    public enum Part { MINUTE, HOUR, DAY, WEEK, MONTH, YEAR }

    private TimeParts() {}

    /** The part of {@code value}, or -1 when the value is not a date. */
    public static long read(String value, Part part) {
        TemporalAccessor t = parse(value.trim());
        if (t == null) {
            return -1;
        }
        switch (part) {
            case MINUTE:
                return t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : -1;
            case HOUR:
                return t.isSupported(ChronoField.HOUR_OF_DAY) ? t.get(ChronoField.HOUR_OF_DAY) : -1;
            case DAY:
                return t.get(ChronoField.DAY_OF_MONTH);
            case WEEK:
                return t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTH:
                return t.get(ChronoField.MONTH_OF_YEAR);
            default:
                return t.get(ChronoField.YEAR);
        }
    }

    private static TemporalAccessor parse(String v) {
        if (v.isEmpty()) {
            return null;
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 15) {
                return null;
            }
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(v)), ZoneOffset.UTC);
        }
        String iso = v.length() > 10 && v.charAt(10) == ' ' ? v.substring(0, 10) + 'T' + v.substring(11) : v;
        try {
            return OffsetDateTime.parse(iso).toLocalDateTime();
        } catch (DateTimeParseException e) {
            // try the forms without an offset
        }
        try {
            return LocalDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            // a date alone
        }
        try {
            return LocalDate.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
