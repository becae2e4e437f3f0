package io.fendersec.sink;

import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fendersec.model.Alert;
import io.fendersec.model.AttackCatalog;
import io.fendersec.model.AttackTags;

/**
 * An alert as an OCSF Detection Finding (class 2004 in category 2, Findings; schema 1.3). Times
 * are epoch milliseconds, as OCSF's {@code timestamp_t}. The mapping:
 * <ul>
 *   <li>{@code finding_info.uid} = {@code alert_id}; {@code analytic} = the rule (type Rule);
 *       first/last seen = the episode's first and last matching events;</li>
 *   <li>{@code time} = the end of the window that first held: the event time at which the
 *       finding arose, so that a replay renders the same finding;</li>
 *   <li>{@code severity_id} from the Sigma level; {@code activity_id} 1 (Create): an updated
 *       alert keeps its {@code alert_id}, and consumers upsert on {@code finding_info.uid};</li>
 *   <li>{@code finding_info.attacks} = the ATT&CK tactics and techniques of the rule's tags;</li>
 *   <li>{@code evidences[0].data} = the log uuids; {@code observables} = the group values;</li>
 *   <li>{@code unmapped} keeps what OCSF has no place for (app, group, kind, count, device).</li>
 * </ul>
 */
public final class OcsfRenderer {
    static final int CATEGORY_FINDINGS = 2;
    static final int CLASS_DETECTION_FINDING = 2004;
    static final int ACTIVITY_CREATE = 1;
    static final String SCHEMA_VERSION = "1.3.0";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OcsfRenderer() {}

    /** The finding as one line of JSON. */
    public static String toJson(Alert a) {
        try {
            return MAPPER.writeValueAsString(toNode(a));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode toNode(Alert a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("activity_id", ACTIVITY_CREATE);
        n.put("activity_name", "Create");
        n.put("category_uid", CATEGORY_FINDINGS);
        n.put("category_name", "Findings");
        n.put("class_uid", CLASS_DETECTION_FINDING);
        n.put("class_name", "Detection Finding");
        n.put("type_uid", CLASS_DETECTION_FINDING * 100L + ACTIVITY_CREATE);
        n.put("type_name", "Detection Finding: Create");
        Severity s = Severity.ofSigmaLevel(a.severity());
        n.put("severity_id", s.id);
        n.put("severity", s.caption);
        n.put("status_id", 1);
        n.put("status", "New");
        n.put("time", a.windowEnd().toEpochMilli());
        n.put("start_time", a.firstSeen().toEpochMilli());
        n.put("end_time", a.lastSeen().toEpochMilli());

        ObjectNode info = n.putObject("finding_info");
        info.put("uid", a.alertId());
        info.put("title", a.title());
        ObjectNode analytic = info.putObject("analytic");
        analytic.put("uid", a.ruleId());
        analytic.put("name", a.title());
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");
        info.put("first_seen_time", a.firstSeen().toEpochMilli());
        info.put("last_seen_time", a.lastSeen().toEpochMilli());
        if (!a.tags().isEmpty()) {
            a.tags().forEach(info.putArray("types")::add);
        }
        if (!a.references().isEmpty()) {
            info.put("src_url", a.references().get(0));
        }
        attacks(a.attack(), info);

        ObjectNode evidence = n.putArray("evidences").addObject().putObject("data");
        ArrayNode uuids = evidence.putArray("log_uuids");
        a.evidence().forEach(uuids::add);

        if (!a.group().isEmpty()) {
            ArrayNode observables = n.putArray("observables");
            for (Map.Entry<String, String> g : a.group().entrySet()) {
                ObjectNode o = observables.addObject();
                o.put("name", g.getKey());
                int type = observableType(g.getKey());
                o.put("type_id", type);
                o.put("type", observableTypeName(type));
                o.put("value", g.getValue());
            }
        }

        ObjectNode metadata = n.putObject("metadata");
        metadata.put("version", SCHEMA_VERSION);
        ObjectNode product = metadata.putObject("product");
        product.put("name", "Fendersec");
        product.put("vendor_name", "Fendersec");

        ObjectNode unmapped = n.putObject("unmapped");
        unmapped.put("kind", a.kind());
        unmapped.put("app", a.app());
        a.group().forEach(unmapped.putObject("group")::put);
        unmapped.put("count", a.count());
        unmapped.put("window_start", a.windowStart().toEpochMilli());
        if (a.device() != null) {
            unmapped.put("device", a.device());
        }
        if (a.references().size() > 1) {
            a.references().forEach(unmapped.putArray("references")::add);
        }
        return n;
    }

    /**
     * {@code finding_info.attacks}: one ATT&CK object per technique the rule's tags name (a
     * sub-technique as {@code sub_technique} under its parent {@code technique}). Tags do not say
     * which technique serves which tactic, so a tactic joins the techniques only when the rule has
     * exactly one; otherwise each tactic gets an object of its own. Tactic uids are the Enterprise
     * matrix's (the Sigma tags appendix's), names from {@link AttackCatalog}.
     */
    static void attacks(AttackTags attack, ObjectNode info) {
        if (attack.tactics().isEmpty() && attack.techniques().isEmpty()) {
            return;
        }
        AttackCatalog catalog = AttackCatalog.get();
        ArrayNode attacks = info.putArray("attacks");
        String onlyTactic = attack.tactics().size() == 1 ? attack.tactics().get(0) : null;
        if (onlyTactic == null || attack.techniques().isEmpty()) {
            attack.tactics().forEach(t -> tactic(attacks.addObject(), catalog, t));
        }
        for (String technique : attack.techniques()) {
            ObjectNode o = attacks.addObject();
            if (onlyTactic != null) {
                tactic(o, catalog, onlyTactic);
            }
            String parent = AttackTags.parentTechnique(technique);
            o.putObject("technique").put("uid", parent);
            if (!parent.equals(technique)) {
                o.putObject("sub_technique").put("uid", technique);
            }
        }
        attacks.forEach(o -> ((ObjectNode) o).put("version", catalog.attackVersion()));
    }

    private static void tactic(ObjectNode attack, AttackCatalog catalog, String name) {
        AttackCatalog.Tactic t = catalog.tactic(name).orElseThrow();
        attack.putObject("tactic").put("uid", t.enterpriseId()).put("name", t.title());
    }

    /** OCSF observable type ids for the fields Fendersec groups by most. */
    static int observableType(String field) {
        String f = field.toLowerCase(Locale.ROOT);
        if (f.endsWith(".ip") || f.equals("ip")) {
            return 2; // IP Address
        }
        if (f.startsWith("user.") && !f.equals("user.email")) {
            return 4; // User Name
        }
        if (f.contains("email")) {
            return 5; // Email Address
        }
        if (f.startsWith("url.") || f.equals("url")) {
            return 6; // URL String
        }
        if (f.startsWith("host.") || f.equals("hostname")) {
            return 1; // Hostname
        }
        return 99; // Other
    }

    private static String observableTypeName(int type) {
        switch (type) {
            case 1: return "Hostname";
            case 2: return "IP Address";
            case 4: return "User Name";
            case 5: return "Email Address";
            case 6: return "URL String";
            default: return "Other";
        }
    }

    /** OCSF {@code severity_id} for a Sigma {@code level}. */
    enum Severity {
        UNKNOWN(0, "Unknown"), INFORMATIONAL(1, "Informational"), LOW(2, "Low"), MEDIUM(3, "Medium"),
        HIGH(4, "High"), CRITICAL(5, "Critical");

        final int id;
        final String caption;

        Severity(int id, String caption) {
            this.id = id;
            this.caption = caption;
        }

        static Severity ofSigmaLevel(String level) {
            if (level == null) {
                return UNKNOWN;
            }
            switch (level.toLowerCase(Locale.ROOT)) {
                case "informational": return INFORMATIONAL;
                case "low": return LOW;
                case "medium": return MEDIUM;
                case "high": return HIGH;
                case "critical": return CRITICAL;
                default: return UNKNOWN;
            }
        }
    }
}
