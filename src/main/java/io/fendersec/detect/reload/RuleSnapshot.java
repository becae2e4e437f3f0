package io.fendersec.detect.reload;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The watched rule texts of a continuous job at one moment: what a running job's rules are made
 * of besides its fixed settings (built-in pack, overrides, placeholders; see {@link WatchedRules}).
 * The rule watch source emits one when the files change, the detection operators keep the one in
 * force in broadcast state, so the rule set in force is part of every checkpoint. Texts, not
 * compiled rules: each operator compiles it once per change, and a checkpoint stays readable by
 * a later release whose compiled form differs.
 *
 * <p>The digest covers the fixed settings and every entry (kind, name, text), so equal digests
 * mean equal rule sets. Immutable; serialized by {@link RuleSnapshotSerializer} in streams and
 * state, and Java-serializable as the initial rules inside the operators.
 */
@TypeInfo(RuleSnapshotTypeInfoFactory.class)
public final class RuleSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What an entry holds. New kinds go at the end (the serializer writes the name, so order does
     * not matter for old checkpoints, but an old release cannot read a new kind).
     */
    public enum Kind {
        /** A Sigma rule file (rules and correlations), {@code rules.sigma}. */
        SIGMA,
        /** The exceptions file, {@code rules.exceptions}. */
        EXCEPTIONS,
        /** A lookup table's file, {@code enrich.lookups[].file}: one entry per lookup, in their order. */
        LOOKUP
    }

    /** One watched file: its kind, its name (the path, used in messages) and its text. */
    public record Entry(Kind kind, String name, String text) implements Serializable {
        public Entry {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(name);
            Objects.requireNonNull(text);
        }
    }

    private final List<Entry> entries;
    private final String digest;

    RuleSnapshot(List<Entry> entries, String digest) {
        this.entries = List.copyOf(entries);
        this.digest = Objects.requireNonNull(digest);
    }

    /**
     * @param settingsKey the fixed settings the texts are compiled with ({@link WatchedRules#settingsKey()}),
     *                    part of the digest so that a job restarted with other settings sees a change
     */
    public static RuleSnapshot of(String settingsKey, List<Entry> entries) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(sha, settingsKey);
        for (Entry e : entries) {
            update(sha, e.kind().name());
            update(sha, e.name());
            update(sha, e.text());
        }
        return new RuleSnapshot(entries, HexFormat.of().formatHex(sha.digest()));
    }

    /** Length-prefixed, so that ("ab", "c") and ("a", "bc") differ. */
    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8),
                (byte) b.length});
        sha.update(b);
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<Entry> entries(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).toList();
    }

    /** SHA-256 of the settings and the entries, hex. */
    public String digest() {
        return digest;
    }

    /** The first 12 hex digits of the digest, for log lines. */
    public String shortDigest() {
        return digest.substring(0, Math.min(12, digest.length()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleSnapshot s && s.digest.equals(digest) && s.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "RuleSnapshot{" + entries.size() + " files, " + shortDigest() + "}";
    }
}
