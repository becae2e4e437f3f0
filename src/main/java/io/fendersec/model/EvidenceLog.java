package io.fendersec.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One evidence log as an alert carries it when a sink asks for {@code evidence: logs}: its uuid,
 * device time, device, level name and text. The text is what the device wrote, already redacted
 * of the secrets the {@code secret.kind} extractors find (see {@code detect.normalize.SecretRedactor})
 * and cut to {@link #MAX_TEXT} characters: it travels through correlation state and checkpoints,
 * so neither a secret nor a megabyte line may ride along.
 *
 * <p>Immutable. Device text is attacker-written: whoever shows it escapes it.
 */
public final class EvidenceLog {
    /** At most this many characters of a log's text are kept (UTF-16 units, never half a pair). */
    public static final int MAX_TEXT = 1000;
    /** Ends a text that was cut. */
    public static final String CUT = "…";

    private final String uuid;
    private final long time;
    private final String device;
    private final String level;
    private final String text;

    private EvidenceLog(String uuid, long time, String device, String level, String text) {
        this.uuid = uuid;
        this.time = time;
        this.device = device;
        this.level = level;
        this.text = text;
    }

    /** As read back (state, JSON): the text is taken as it is, already capped. */
    public static EvidenceLog of(String uuid, long time, String device, String level, String text) {
        return new EvidenceLog(uuid, time, device, level, text == null ? "" : text);
    }

    /** A new evidence log from a log's (already redacted) text, cut to {@link #MAX_TEXT}. */
    public static EvidenceLog capped(String uuid, long time, String device, String level, String text) {
        return of(uuid, time, device, level, cap(text, MAX_TEXT));
    }

    /** {@code text} cut to {@code max} characters plus {@link #CUT}, never splitting a surrogate pair. */
    public static String cap(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + CUT;
    }

    /** Bugfender's level number as the API documents its name; the number itself when unknown. */
    public static String levelName(int level) {
        switch (level) {
            case LogFields.LEVEL_DEBUG:
                return "debug";
            case LogFields.LEVEL_WARNING:
                return "warning";
            case LogFields.LEVEL_ERROR:
                return "error";
            case LogFields.LEVEL_TRACE:
                return "trace";
            case LogFields.LEVEL_INFO:
                return "info";
            case LogFields.LEVEL_FATAL:
                return "fatal";
            default:
                return level < 0 ? null : Integer.toString(level);
        }
    }

    /** The log's uuid (links to it); may be null for a log without one. */
    public String uuid() {
        return uuid;
    }

    public long timeMillis() {
        return time;
    }

    public Instant time() {
        return Instant.ofEpochMilli(time);
    }

    public String device() {
        return device;
    }

    public String level() {
        return level;
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EvidenceLog)) {
            return false;
        }
        EvidenceLog e = (EvidenceLog) o;
        return time == e.time && Objects.equals(uuid, e.uuid) && Objects.equals(device, e.device)
                && Objects.equals(level, e.level) && text.equals(e.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uuid, time, device, level, text);
    }

    /** Without the text: device text never goes to a log line by way of toString. */
    @Override
    public String toString() {
        return "EvidenceLog{" + uuid + " @" + time() + " " + text.length() + " chars}";
    }
}
