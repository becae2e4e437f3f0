package io.fendersec.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reference lists rule tags are classified against: the MITRE ATT&CK tactics of the
 * Enterprise and Mobile matrices (in matrix order; ATT&CK v19's Stealth and Defense Impairment,
 * with the former name Defense Evasion read as Stealth, whose id TA0005 it kept) and the OWASP MASVS v2 controls. Read once from
 * {@code attack-catalog.json}, which names its sources and versions. Enterprise technique names are
 * not embedded: a technique is shown by its id, which tags carry exactly. The ATT&CK for Mobile
 * techniques are (issue 30), so a rule set's coverage of the Mobile matrix can be counted.
 */
public final class AttackCatalog {
    private static final String RESOURCE = "attack-catalog.json";
    private static final AttackCatalog INSTANCE = load();

    /**
     * A tactic as tags name it ({@code credential-access}), its title, and its id in each matrix;
     * {@code mobileId} is null for tactics the Mobile matrix lacks (reconnaissance, resource development).
     */
    public record Tactic(String name, String title, String enterpriseId, String mobileId) {}

    public record MasvsControl(String id, String title) {}

    /** A MASVS control group such as {@code MASVS-AUTH}, with its controls in order. */
    public record MasvsGroup(String id, String title, List<MasvsControl> controls) {
        public MasvsGroup {
            controls = List.copyOf(controls);
        }
    }

    private final String attackSource;
    private final String attackVersion;
    private final String masvsSource;
    private final String masvsVersion;
    private final Map<String, Tactic> tactics;
    private final Map<String, Tactic> tacticsById;
    /** Former tactic names, e.g. {@code defense-evasion}: v19 renamed TA0005 Stealth. */
    private final Map<String, String> aliases;
    private final Map<String, MasvsGroup> masvs;
    private final Map<String, MasvsControl> masvsControls;
    /** ATT&CK for Mobile technique ids ({@code T1631}, {@code T1631.001}) and their names. */
    private final Map<String, String> mobileTechniques;

    private AttackCatalog(JsonNode root) {
        JsonNode attack = root.get("attack");
        attackSource = attack.get("source").asText();
        attackVersion = attack.get("version").asText();
        tactics = new LinkedHashMap<>();
        tacticsById = new LinkedHashMap<>();
        for (JsonNode t : attack.get("tactics")) {
            Tactic tactic = new Tactic(t.get("name").asText(), t.get("title").asText(), t.get("enterprise").asText(),
                    t.hasNonNull("mobile") ? t.get("mobile").asText() : null);
            tactics.put(tactic.name(), tactic);
            tacticsById.put(tactic.enterpriseId(), tactic);
            if (tactic.mobileId() != null) {
                tacticsById.put(tactic.mobileId(), tactic);
            }
        }
        mobileTechniques = new LinkedHashMap<>();
        attack.path("mobileTechniques").fields().forEachRemaining(e -> mobileTechniques.put(e.getKey(), e.getValue().asText()));
        aliases = new LinkedHashMap<>();
        attack.path("aliases").fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
        JsonNode m = root.get("masvs");
        masvsSource = m.get("source").asText();
        masvsVersion = m.get("version").asText();
        masvs = new LinkedHashMap<>();
        masvsControls = new LinkedHashMap<>();
        for (JsonNode g : m.get("groups")) {
            List<MasvsControl> controls = new ArrayList<>();
            for (JsonNode c : g.get("controls")) {
                MasvsControl control = new MasvsControl(c.get("id").asText(), c.get("title").asText());
                controls.add(control);
                masvsControls.put(control.id(), control);
            }
            MasvsGroup group = new MasvsGroup(g.get("id").asText(), g.get("title").asText(), controls);
            masvs.put(group.id(), group);
        }
    }

    public static AttackCatalog get() {
        return INSTANCE;
    }

    /** Tactics in matrix order (Enterprise's; the Mobile matrix has the same order for the tactics it has). */
    public List<Tactic> tactics() {
        return List.copyOf(tactics.values());
    }

    /** The tactic of a normalized name ({@code initial-access}), or of a former name ({@code defense-evasion}). */
    public Optional<Tactic> tactic(String name) {
        return Optional.ofNullable(tactics.get(aliases.getOrDefault(name, name)));
    }

    /** The tactic of an Enterprise or Mobile tactic id ({@code TA0001}, {@code TA0027}). */
    public Optional<Tactic> tacticById(String id) {
        return Optional.ofNullable(tacticsById.get(id));
    }

    /** Whether {@code id} (upper case, {@code T1631.001}) is a technique of the ATT&CK for Mobile matrix. */
    public boolean isMobileTechnique(String id) {
        return mobileTechniques.containsKey(id);
    }

    /** The name of an ATT&CK for Mobile technique, if {@code id} is one. */
    public Optional<String> mobileTechniqueName(String id) {
        return Optional.ofNullable(mobileTechniques.get(id));
    }

    public List<MasvsGroup> masvsGroups() {
        return List.copyOf(masvs.values());
    }

    public boolean isMasvsGroup(String id) {
        return masvs.containsKey(id);
    }

    public boolean isMasvsControl(String id) {
        return masvsControls.containsKey(id);
    }

    public String attackSource() {
        return attackSource;
    }

    public String attackVersion() {
        return attackVersion;
    }

    public String masvsSource() {
        return masvsSource;
    }

    public String masvsVersion() {
        return masvsVersion;
    }

    private static AttackCatalog load() {
        try (InputStream in = AttackCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new AttackCatalog(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
