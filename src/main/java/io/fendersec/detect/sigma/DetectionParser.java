package io.fendersec.detect.sigma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import io.fendersec.error.ConfigException;

/**
 * Reads a Sigma {@code detection} section (or one selection) into a {@link DetectionNode} tree,
 * once: modifiers are checked against their {@linkplain Modifier.Role roles}, values are parsed
 * as {@link SigmaString}s, transformed in the order the modifiers are written and turned into
 * {@link ValueMatcher}s. Every problem is a {@link ConfigException} with file and line.
 */
public final class DetectionParser {
    /** A value may expand (windash, placeholders, base64offset) into at most this many values. */
    static final int MAX_VARIANTS = 4096;

    private static final Set<Modifier> NOT_FOR_KEYWORDS = EnumSet.of(Modifier.EXISTS, Modifier.FIELDREF,
            Modifier.CIDR, Modifier.LT, Modifier.LTE, Modifier.GT, Modifier.GTE, Modifier.STARTSWITH,
            Modifier.ENDSWITH, Modifier.NEQ, Modifier.MINUTE, Modifier.HOUR, Modifier.DAY, Modifier.WEEK,
            Modifier.MONTH, Modifier.YEAR);

    private final Map<String, List<SigmaString>> placeholders;

    /** @param placeholders the values of each placeholder that {@code expand} may use */
    public DetectionParser(Map<String, List<String>> placeholders) {
        Map<String, List<SigmaString>> p = new LinkedHashMap<>();
        placeholders.forEach((k, vs) -> p.put(k, vs.stream().map(v -> SigmaString.parse(v, false)).toList()));
        this.placeholders = Map.copyOf(p);
    }

    /** A parser for rules without placeholders. */
    public static DetectionParser plain() {
        return new DetectionParser(Map.of());
    }

    /** A whole {@code detection:} mapping with its {@code condition}. */
    public DetectionNode detection(YamlNode detection) {
        Map<String, YamlNode> sections = detection.asMap();
        YamlNode condition = sections.get("condition");
        if (condition == null) {
            throw detection.error("detection has no 'condition'");
        }
        if (sections.containsKey("timeframe")) {
            throw sections.get("timeframe").error(
                    "unsupported feature 'timeframe' (Sigma v1 aggregation): use a correlation rule with 'timespan'");
        }
        Map<String, DetectionNode> searches = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : sections.entrySet()) {
            if (!e.getKey().equals("condition")) {
                searches.put(e.getKey(), search(e.getValue()));
            }
        }
        return condition(condition, searches);
    }

    /**
     * The condition (one, or a list: an OR) over search identifiers already parsed, e.g. by a
     * processing pipeline that rewrote them ({@code io.fendersec.detect.pipeline}).
     */
    public DetectionNode condition(YamlNode condition, Map<String, DetectionNode> searches) {
        List<DetectionNode> alternatives = new ArrayList<>();
        for (YamlNode c : condition.asListOrSingle()) { // a list of conditions is an OR (Sigma v1 form)
            String text = c.asText();
            if (text == null || text.isBlank()) {
                throw c.error("empty condition");
            }
            alternatives.add(ConditionParser.parse(text, searches, c));
        }
        return DetectionNode.or(alternatives);
    }

    /** One search identifier's value: a map (AND), a list of maps (OR) or keywords. */
    public DetectionNode search(YamlNode search) {
        if (search.isMap()) {
            List<DetectionNode> parts = new ArrayList<>();
            for (Map.Entry<String, YamlNode> e : search.asMap().entrySet()) {
                parts.add(new DetectionNode.Test(field(e.getKey(), e.getValue())));
            }
            if (parts.isEmpty()) {
                throw search.error("empty selection");
            }
            return DetectionNode.and(parts);
        }
        List<YamlNode> items = search.asListOrSingle();
        if (items.isEmpty()) {
            throw search.error("empty search");
        }
        if (items.stream().allMatch(YamlNode::isMap)) {
            List<DetectionNode> alts = new ArrayList<>();
            for (YamlNode m : items) {
                alts.add(search(m));
            }
            return DetectionNode.or(alts);
        }
        if (items.stream().allMatch(YamlNode::isScalar)) {
            return new DetectionNode.Test(field("", search));
        }
        throw search.error("a search is a mapping, a list of mappings or a list of keywords, not a mix");
    }

    /** One {@code field|modifier|...: value(s)} entry; an empty field name is a keyword search. */
    public FieldTest field(String key, YamlNode valueNode) {
        String[] names = key.split("\\|", -1);
        String field = names[0].isEmpty() ? null : names[0];
        List<Modifier> mods = new ArrayList<>();
        for (int i = 1; i < names.length; i++) {
            Modifier m = Modifier.of(names[i]);
            if (m == null) {
                throw valueNode.error("unsupported feature: modifier '" + names[i] + "' in '" + key
                        + "' (not a Sigma v2.1 modifier)");
            }
            if (mods.contains(m)) {
                throw valueNode.error("modifier '" + names[i] + "' given twice in '" + key + "'");
            }
            mods.add(m);
        }
        check(field, mods, key, valueNode);
        List<YamlNode> values = valueNode.asListOrSingle();
        if (values.isEmpty()) {
            throw valueNode.error("no value for '" + key + "'");
        }
        for (YamlNode v : values) {
            if (!v.isScalar()) {
                throw v.error("a field value is a scalar or a list of scalars ('" + key + "')");
            }
        }
        boolean all = mods.contains(Modifier.ALL);
        boolean neq = mods.contains(Modifier.NEQ);
        if (mods.contains(Modifier.EXISTS)) {
            if (values.size() != 1 || !(values.get(0).scalar() instanceof Boolean)) {
                throw valueNode.error("'exists' takes true or false ('" + key + "')");
            }
            return new FieldTest(field, mods, false, false,
                    List.of(new ValueMatcher.Exists((Boolean) values.get(0).scalar())), valueNode.where());
        }
        List<ValueMatcher> matchers = new ArrayList<>();
        for (YamlNode v : values) {
            matchers.addAll(matchers(field, v, mods, key));
        }
        return new FieldTest(field, mods, all, neq, matchers, valueNode.where());
    }

    /** Combinations the roles do not allow. */
    private static void check(String field, List<Modifier> mods, String key, YamlNode at) {
        Modifier type = null;
        Modifier wildcards = null;
        Modifier timePart = null;
        boolean transforms = false;
        for (Modifier m : mods) {
            switch (m.role()) {
                case TYPE:
                    if (type != null) {
                        throw at.error("'" + type.sigmaName() + "' and '" + m.sigmaName() + "' do not go together in '"
                                + key + "'");
                    }
                    type = m;
                    break;
                case WILDCARDS:
                    if (wildcards != null) {
                        throw at.error("'" + wildcards.sigmaName() + "' and '" + m.sigmaName()
                                + "' do not go together in '" + key + "'");
                    }
                    wildcards = m;
                    break;
                case TIME_PART:
                    if (timePart != null) {
                        throw at.error("one time modifier at most in '" + key + "'");
                    }
                    timePart = m;
                    break;
                case TRANSFORM:
                case ENCODING:
                    transforms = true;
                    break;
                default:
                    break;
            }
        }
        if (mods.contains(Modifier.EXISTS) && mods.size() > 1) {
            throw at.error("'exists' goes with no other modifier ('" + key + "')");
        }
        if (mods.stream().anyMatch(m -> m.role() == Modifier.Role.REGEX_FLAG) && type != Modifier.RE) {
            throw at.error("modifiers i, m and s go with 're' ('" + key + "')");
        }
        boolean stringType = type == null || type == Modifier.FIELDREF;
        if (!stringType && (wildcards != null || transforms)) {
            Modifier other = wildcards != null ? wildcards
                    : mods.stream().filter(m -> m.role() == Modifier.Role.TRANSFORM
                            || m.role() == Modifier.Role.ENCODING).findFirst().orElseThrow();
            throw at.error("'" + type.sigmaName() + "' does not go with '" + other.sigmaName() + "' ('" + key + "')");
        }
        if (type == Modifier.FIELDREF && transforms) {
            throw at.error("'fieldref' names a field: no value transformation applies ('" + key + "')");
        }
        if (timePart != null && (wildcards != null || transforms || (type != null && !type.isNumericComparison()))) {
            throw at.error("'" + timePart.sigmaName() + "' compares a number: only lt, lte, gt, gte, neq go with it ('"
                    + key + "')");
        }
        if (field == null) {
            for (Modifier m : mods) {
                if (NOT_FOR_KEYWORDS.contains(m)) {
                    throw at.error("modifier '" + m.sigmaName() + "' does not apply to a keyword search ('" + key
                            + "')");
                }
            }
        }
    }

    private List<ValueMatcher> matchers(String field, YamlNode v, List<Modifier> mods, String key) {
        Object raw = v.scalar();
        if (raw == null) {
            if (field == null) {
                throw v.error("null is not a keyword");
            }
            if (mods.stream().anyMatch(m -> m != Modifier.NEQ)) {
                throw v.error("null cannot take modifiers ('" + key + "')");
            }
            return List.of(new ValueMatcher.IsNull());
        }
        String s = v.asText();
        boolean cased = mods.contains(Modifier.CASED);
        Modifier timePart = mods.stream().filter(m -> m.role() == Modifier.Role.TIME_PART).findFirst().orElse(null);
        try {
            for (Modifier m : mods) {
                if (m.isNumericComparison()) {
                    if (!(raw instanceof Long || raw instanceof Double)) {
                        throw v.error("'" + m.sigmaName() + "' needs a number ('" + key + "')");
                    }
                    ValueMatcher num = new ValueMatcher.Numeric(ValueMatcher.NumOp.valueOf(m.name()),
                            ((Number) raw).doubleValue());
                    return List.of(timePart == null ? num : new ValueMatcher.TimePart(part(timePart), num));
                }
            }
            if (timePart != null) {
                if (!(raw instanceof Long)) {
                    throw v.error("'" + timePart.sigmaName() + "' compares a whole number ('" + key + "')");
                }
                return List.of(new ValueMatcher.TimePart(part(timePart),
                        new ValueMatcher.Text(ValueMatcher.TextOp.EQUALS, s, true)));
            }
            if (mods.contains(Modifier.CIDR)) {
                return List.of(ValueMatcher.Cidr.parse(s));
            }
            if (mods.contains(Modifier.RE)) {
                int flags = 0;
                if (mods.contains(Modifier.I)) {
                    flags |= Pattern.CASE_INSENSITIVE;
                }
                if (mods.contains(Modifier.M)) {
                    flags |= Pattern.MULTILINE;
                }
                if (mods.contains(Modifier.S)) {
                    flags |= Pattern.DOTALL;
                }
                return List.of(new ValueMatcher.Regex(SafeRegex.compile(s, flags), false));
            }
            if (mods.contains(Modifier.FIELDREF)) {
                ValueMatcher.TextOp op = mods.contains(Modifier.CONTAINS) ? ValueMatcher.TextOp.CONTAINS
                        : mods.contains(Modifier.STARTSWITH) ? ValueMatcher.TextOp.STARTS_WITH
                        : mods.contains(Modifier.ENDSWITH) ? ValueMatcher.TextOp.ENDS_WITH
                        : ValueMatcher.TextOp.EQUALS;
                return List.of(new ValueMatcher.FieldRef(s, op, cased));
            }
        } catch (PatternSyntaxException | IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw (ConfigException) e;
            }
            throw v.error("bad value for '" + key + "': " + e.getMessage());
        }
        List<Encoded> values;
        try {
            values = transform(SigmaString.parse(s, mods.contains(Modifier.EXPAND)), mods, field == null);
        } catch (IllegalArgumentException e) {
            throw v.error("'" + key + "': " + e.getMessage());
        }
        List<ValueMatcher> out = new ArrayList<>(values.size());
        for (Encoded x : values) {
            out.add(Wildcards.compile(x.value(), cased));
        }
        return out;
    }

    /** A value on its way through the modifiers; {@code bytes} once encoded to UTF-16 (one char a byte). */
    private record Encoded(SigmaString value, boolean bytes) {}

    /** The string modifiers in the order written; keywords get {@code *} around them at the end. */
    private List<Encoded> transform(SigmaString start, List<Modifier> mods, boolean keyword) {
        List<Encoded> vals = new ArrayList<>(List.of(new Encoded(start, false)));
        if (start.hasPlaceholders() && !mods.contains(Modifier.EXPAND)) {
            throw new IllegalStateException("placeholders parsed without expand");
        }
        for (Modifier m : mods) {
            List<Encoded> next = new ArrayList<>();
            for (Encoded e : vals) {
                SigmaString s = e.value();
                switch (m) {
                    case CONTAINS:
                        next.add(new Encoded(s.anyBefore().anyAfter(), e.bytes()));
                        break;
                    case STARTSWITH:
                        next.add(new Encoded(s.anyAfter(), e.bytes()));
                        break;
                    case ENDSWITH:
                        next.add(new Encoded(s.anyBefore(), e.bytes()));
                        break;
                    case WINDASH:
                        for (SigmaString w : s.variants(DetectionParser::windash, MAX_VARIANTS)) {
                            next.add(new Encoded(w, e.bytes()));
                        }
                        break;
                    case EXPAND:
                        for (SigmaString x : s.expand(placeholders, MAX_VARIANTS)) {
                            next.add(new Encoded(x, e.bytes()));
                        }
                        break;
                    case UTF16LE:
                    case WIDE:
                    case UTF16BE:
                    case UTF16:
                        next.add(new Encoded(utf16(s, m, e.bytes()), true));
                        break;
                    case BASE64:
                    case BASE64OFFSET: {
                        // A '*' that contains/startswith/endswith put at an end stays at that end:
                        // 'contains|base64offset' means the encoded text anywhere, as written the other way.
                        List<SigmaString.Part> ps = s.parts();
                        boolean before = !ps.isEmpty() && ps.get(0) instanceof SigmaString.AnyRun;
                        boolean after = ps.size() > 1 && ps.get(ps.size() - 1) instanceof SigmaString.AnyRun;
                        SigmaString inner = s.strip(before ? 1 : 0, after ? 1 : 0);
                        byte[] bytes = bytesOf(inner, m, e.bytes());
                        List<String> enc = m == Modifier.BASE64 ? List.of(base64(bytes)) : base64Offsets(bytes);
                        for (String x : enc) {
                            SigmaString out = SigmaString.plain(x);
                            out = before ? out.anyBefore() : out;
                            next.add(new Encoded(after ? out.anyAfter() : out, false));
                        }
                        break;
                    }
                    default:
                        next.add(e);
                }
            }
            if (next.size() > MAX_VARIANTS) {
                throw new IllegalArgumentException("the modifiers make more than " + MAX_VARIANTS + " values");
            }
            vals = next;
        }
        if (vals.stream().anyMatch(e -> e.value().hasPlaceholders())) {
            throw new IllegalStateException("placeholder left after expand");
        }
        if (keyword) {
            vals = vals.stream().map(e -> new Encoded(e.value().anyBefore().anyAfter(), e.bytes())).toList();
        }
        return vals;
    }

    private static SigmaString utf16(SigmaString s, Modifier m, boolean alreadyBytes) {
        if (alreadyBytes) {
            throw new IllegalArgumentException("'" + m.sigmaName() + "' on a value already encoded to UTF-16");
        }
        if (s.hasPlaceholders()) {
            throw new IllegalArgumentException("'" + m.sigmaName() + "' before 'expand'");
        }
        boolean bigEndian = m == Modifier.UTF16BE;
        SigmaString out = s.mapText(t -> {
            byte[] b = t.getBytes(bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
            return new String(b, StandardCharsets.ISO_8859_1);
        });
        if (m == Modifier.UTF16) { // a byte order mark, then little endian (as pySigma)
            out = out.textBefore("\u00ff\u00fe");
        }
        return out;
    }

    private static byte[] bytesOf(SigmaString s, Modifier m, boolean bytes) {
        if (s.hasWildcards() || s.hasPlaceholders()) {
            throw new IllegalArgumentException("'" + m.sigmaName()
                    + "' cannot encode wildcards: put 'contains', 'startswith' or 'endswith' after it");
        }
        String text = s.plainText();
        return bytes ? text.getBytes(StandardCharsets.ISO_8859_1) : text.getBytes(StandardCharsets.UTF_8);
    }

    static String base64(String s) {
        return base64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * The three encodings of {@code s} at byte offsets 0, 1 and 2 of a longer base64 text, with the
     * characters that depend on the unknown neighbours cut off (as pySigma does).
     */
    static List<String> base64Offsets(byte[] s) {
        int[] start = {0, 2, 3};
        int[] endCut = {0, 3, 2};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[s.length + i];
            java.util.Arrays.fill(shifted, 0, i, (byte) ' ');
            System.arraycopy(s, 0, shifted, i, s.length);
            String enc = base64(shifted);
            int cut = endCut[(s.length + i) % 3];
            if (enc.length() - cut > start[i]) {
                out.add(enc.substring(start[i], enc.length() - cut));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("base64offset of a value too short to encode");
        }
        return out;
    }

    /**
     * {@code windash}: every flag dash ({@code -} or {@code /} after a non-word character or at the
     * start, before a word character) may be any of {@code - / – — ―}; every combination.
     */
    static List<String> windash(String s) {
        String[] dashes = {"-", "/", "\u2013", "\u2014", "\u2015"};
        List<String> out = new ArrayList<>(List.of(""));
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean flagStart = (c == '-' || c == '/')
                    && (i == 0 || !isWord(s.charAt(i - 1)))
                    && i + 1 < s.length() && isWord(s.charAt(i + 1));
            if (!flagStart) {
                continue;
            }
            String before = s.substring(from, i);
            List<String> next = new ArrayList<>();
            for (String o : out) {
                for (String d : dashes) {
                    next.add(o + before + d);
                }
            }
            if (next.size() > MAX_VARIANTS) {
                throw new IllegalArgumentException("windash makes more than " + MAX_VARIANTS + " values");
            }
            out = next;
            from = i + 1;
        }
        String rest = s.substring(from);
        return out.stream().map(o -> o + rest).toList();
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static TimeParts.Part part(Modifier m) {
        return TimeParts.Part.valueOf(m.name());
    }
}
