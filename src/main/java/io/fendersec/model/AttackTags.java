package io.fendersec.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rule's Sigma tags say in ATT&CK and MASVS terms. Tags follow the Sigma tags appendix:
 * {@code attack.initial-access} (a tactic), {@code attack.t1078} and {@code attack.t1078.004}
 * (a technique and a sub-technique); MASVS controls are written {@code owasp.masvs.auth-1} (or
 * {@code masvs.auth-1}), a whole group {@code owasp.masvs.resilience}.
 *
 * <p>Rule files are user-supplied, so every tag is classified or ignored, never trusted:
 * <ul>
 *   <li>a tactic only when its name (lower-cased, {@code _} and blanks read as {@code -}, the
 *       Sigma v1 spelling {@code attack.credential_access} included) is a tactic of the Enterprise
 *       or Mobile matrix ({@link AttackCatalog}), or when it is such a tactic's id
 *       ({@code attack.ta0006}); {@code attack.defense-evasion}, the name ATT&CK used for TA0005
 *       before v19, reads as {@code stealth};</li>
 *   <li>a technique when it has the form {@code t} + 4 digits, optionally {@code .} + 3 digits,
 *       upper-cased ({@code T1078.004}); whether the id exists is not checked (no trustworthy
 *       list is embedded);</li>
 *   <li>everything else is ignored: groups ({@code attack.g0001}), software ({@code attack.s0002}),
 *       unknown names, and other namespaces ({@code cve.*}, {@code detection.*}, {@code tlp.*}).</li>
 * </ul>
 * Each list is in the order of first appearance, without repeats.
 */
public record AttackTags(List<String> tactics, List<String> techniques, List<String> masvs) {
    public static final AttackTags NONE = new AttackTags(List.of(), List.of(), List.of());

    private static final String ATTACK = "attack.";
    private static final Pattern TECHNIQUE = Pattern.compile("t(\\d{4})(?:\\.(\\d{3}))?");
    private static final Pattern TACTIC_ID = Pattern.compile("ta\\d{4}");
    private static final Pattern MASVS = Pattern.compile("(?:owasp\\.)?masvs[.-]([a-z]+)(?:-(\\d{1,2}))?");
    /** Longer tags are no tag this class knows; not even normalized. */
    private static final int MAX_TAG = 100;

    public AttackTags {
        tactics = List.copyOf(tactics);
        techniques = List.copyOf(techniques);
        masvs = List.copyOf(masvs);
    }

    public static AttackTags of(List<String> tags) {
        if (tags == null || tags.isEmpty()) {
            return NONE;
        }
        AttackCatalog catalog = AttackCatalog.get();
        Set<String> tactics = new LinkedHashSet<>();
        Set<String> techniques = new LinkedHashSet<>();
        Set<String> masvs = new LinkedHashSet<>();
        for (String raw : tags) {
            if (raw == null || raw.length() > MAX_TAG) {
                continue;
            }
            String tag = raw.strip().toLowerCase(Locale.ROOT);
            if (tag.startsWith(ATTACK)) {
                String rest = tag.substring(ATTACK.length());
                Matcher t = TECHNIQUE.matcher(rest);
                if (t.matches()) {
                    techniques.add("T" + t.group(1) + (t.group(2) == null ? "" : "." + t.group(2)));
                } else if (TACTIC_ID.matcher(rest).matches()) {
                    catalog.tacticById(rest.toUpperCase(Locale.ROOT)).ifPresent(x -> tactics.add(x.name()));
                } else {
                    catalog.tactic(rest.replace('_', '-').replace(' ', '-')).ifPresent(x -> tactics.add(x.name()));
                }
                continue;
            }
            Matcher m = MASVS.matcher(tag);
            if (m.matches()) {
                String group = "MASVS-" + m.group(1).toUpperCase(Locale.ROOT);
                String id = m.group(2) == null ? group : group + "-" + Integer.parseInt(m.group(2));
                if (catalog.isMasvsControl(id) || (m.group(2) == null && catalog.isMasvsGroup(id))) {
                    masvs.add(id);
                }
            }
        }
        return tactics.isEmpty() && techniques.isEmpty() && masvs.isEmpty() ? NONE
                : new AttackTags(new ArrayList<>(tactics), new ArrayList<>(techniques), new ArrayList<>(masvs));
    }

    /** The technique a sub-technique belongs to ({@code T1078.004} → {@code T1078}); a technique itself. */
    public static String parentTechnique(String technique) {
        int dot = technique.indexOf('.');
        return dot < 0 ? technique : technique.substring(0, dot);
    }
}
