package io.fendersec.detect.normalize;

import java.io.Serializable;
import java.text.Normalizer.Form;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.fendersec.detect.sigma.YamlNode;
import io.fendersec.error.ConfigException;

/**
 * How a field's value becomes a correlation's group key or a {@code value_count} value, decided
 * per field ({@code normalize.keys}, defaults in {@code normalize/defaults.yml}):
 * <ul>
 *   <li>{@code fold: true} compares the canonical form ({@link #canonical}): case-folded, Unicode
 *       NFKC, invisible format characters and surrounding blanks removed. Sign-in names and e-mail
 *       addresses are case-insensitive almost everywhere, so {@code Victim@Example.com} and
 *       {@code VICTIM@example.com} are one account: the device's owner must not split one attack
 *       into nine groups (or nine distinct accounts) by spelling. The log keeps the original:
 *       rules match it, evidence, archive and SQL rules show it; only the group key is canonical.
 *   <li>{@code absent: placeholder} groups a log that lacks the field under {@link #ABSENT}
 *       instead of dropping the hit (a secret logged without {@code file}/{@code line} is still a
 *       secret); {@code absent: skip} drops the hit, for fields that say who or where an event is
 *       about (an anonymous sign-in is no attempt on any one account). A {@code value_count} field
 *       that is absent never counts, whatever its setting: a placeholder would be one more
 *       distinct value.
 * </ul>
 * Fields not listed compare as written, and are grouped under the placeholder when absent.
 */
public final class GroupKeys implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The group value of a log without the field, for fields with {@code absent: placeholder}. */
    public static final String ABSENT = "(absent)";

    /** One field's decision. */
    public record Key(boolean fold, boolean skipAbsent) implements Serializable {
        static final Key AS_WRITTEN = new Key(false, false);
    }

    private static final GroupKeys NONE = new GroupKeys(Map.of());

    private final Map<String, Key> keys;

    private GroupKeys(Map<String, Key> keys) {
        this.keys = Map.copyOf(keys);
    }

    /** No field folded, absent fields under the placeholder. */
    public static GroupKeys none() {
        return NONE;
    }

    public Key key(String field) {
        return keys.getOrDefault(field, Key.AS_WRITTEN);
    }

    /** Every field with a decision of its own. */
    public Map<String, Key> fields() {
        return keys;
    }

    /** The group key of {@code raw} (the field's value, null when absent), or null: the hit does not count. */
    public String group(String field, String raw) {
        Key k = key(field);
        if (raw == null) {
            return k.skipAbsent() ? null : ABSENT;
        }
        return k.fold() ? canonical(raw) : raw;
    }

    /** The {@code value_count} value of {@code raw}, or null when absent (never counted). */
    public String counted(String field, String raw) {
        if (raw == null) {
            return null;
        }
        return key(field).fold() ? canonical(raw) : raw;
    }

    /**
     * The canonical form of an identity: NFKC, then full case folding (upper then lower case in the
     * root locale: {@code ß} and {@code SS} both give {@code ss}, final and medial sigma both
     * {@code σ}), then NFKC again, without format characters (zero-width space and joiners, bidi
     * marks: invisible, so a second spelling of the same name) and without surrounding blanks. The
     * JDK's approximation of Unicode's NFKC_Casefold, which also drops default-ignorable characters.
     */
    public static String canonical(String s) {
        String n = java.text.Normalizer.normalize(s, Form.NFKC);
        n = n.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        n = java.text.Normalizer.normalize(n, Form.NFKC);
        StringBuilder b = null;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            int len = Character.charCount(cp);
            if (Character.getType(cp) == Character.FORMAT) {
                if (b == null) {
                    b = new StringBuilder(n.length()).append(n, 0, i);
                }
            } else if (b != null) {
                b.appendCodePoint(cp);
            }
            i += len;
        }
        return (b == null ? n : b.toString()).strip();
    }

    /**
     * {@code base} with the decisions of a {@code keys:} section over it, field by field and
     * setting by setting: {@code {user.name: {fold: false}}} keeps user.name's {@code absent}.
     * Errors name the key path under {@code where}.
     */
    static GroupKeys read(GroupKeys base, YamlNode section, String where) {
        Map<String, Key> out = new LinkedHashMap<>(base.keys);
        for (Map.Entry<String, YamlNode> e : section.asMap().entrySet()) {
            String field = e.getKey();
            String at = where + "." + field;
            if (field.isBlank()) {
                throw new ConfigException(where + ": a field name is empty");
            }
            YamlNode v = e.getValue();
            if (!v.isMap()) {
                throw new ConfigException(at + ": expected a map such as {fold: true, absent: skip}");
            }
            Key k = out.getOrDefault(field, Key.AS_WRITTEN);
            boolean fold = k.fold();
            boolean skip = k.skipAbsent();
            for (Map.Entry<String, YamlNode> s : v.asMap().entrySet()) {
                switch (s.getKey()) {
                    case "fold" -> {
                        if (!(s.getValue().scalar() instanceof Boolean b)) {
                            throw new ConfigException(at + ".fold: expected true or false");
                        }
                        fold = b;
                    }
                    case "absent" -> {
                        Object a = s.getValue().scalar();
                        if ("skip".equals(a)) {
                            skip = true;
                        } else if ("placeholder".equals(a)) {
                            skip = false;
                        } else {
                            throw new ConfigException(at + ".absent: expected skip or placeholder, got '" + a + "'");
                        }
                    }
                    default -> throw new ConfigException(at + "." + s.getKey() + ": unknown key (fold, absent)");
                }
            }
            out.put(field, new Key(fold, skip));
        }
        return new GroupKeys(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupKeys g && g.keys.equals(keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "GroupKeys" + keys;
    }
}
