package io.fendersec.detect.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fendersec.detect.sigma.DetectionNode;
import io.fendersec.detect.sigma.DetectionParser;
import io.fendersec.detect.sigma.YamlNode;

/**
 * A Sigma rule (detection or correlation) while processing pipelines rewrite it: the parts a
 * transformation may change, read from its document once, and written back by
 * {@link #document()} (logsource, correlation fields) and {@link #detection} (the selections and
 * conditions, which after a one-to-many mapping no longer fit YAML).
 */
final class WorkingRule {
    final YamlNode original;
    final boolean correlation;
    /** category, product, service; null when not set. */
    String category;
    String product;
    String service;
    boolean logsourceChanged;
    /** Search identifier → its detection (detection rules). */
    final Map<String, Detection> detections = new LinkedHashMap<>();
    /** The rule's conditions as written, rewritten by add_condition. */
    final List<String> conditions = new ArrayList<>();
    /** The detection has a shape only the rule parser should judge (its message, as without pipelines). */
    boolean malformed;
    /** Ids of the processing items applied to the rule. */
    final Set<String> applied = new HashSet<>();
    /** Correlations: the group-by fields, aliases (alias → rule → field) and the counted field. */
    List<String> groupBy;
    Map<String, Map<String, String>> aliases;
    String conditionField;
    String location;
    boolean correlationChanged;

    private WorkingRule(YamlNode doc) {
        this.original = doc;
        this.correlation = doc.get("correlation") != null;
        YamlNode ls = doc.get("logsource");
        if (ls != null && ls.isMap()) {
            category = ls.text("category");
            product = ls.text("product");
            service = ls.text("service");
        }
    }

    /** The rule in {@code doc}; a detection's selections are read into items, a correlation's fields noted. */
    static WorkingRule of(YamlNode doc) {
        WorkingRule r = new WorkingRule(doc);
        if (r.correlation) {
            r.readCorrelation(doc.get("correlation"));
        } else if (doc.get("detection") != null && doc.get("detection").isMap()) {
            for (Map.Entry<String, YamlNode> e : doc.get("detection").asMap().entrySet()) {
                if (e.getKey().equals("condition")) {
                    for (YamlNode c : e.getValue().asListOrSingle()) {
                        if (!c.isScalar() || c.asText() == null) {
                            r.malformed = true; // the rule parser says what is wrong, as without pipelines
                        } else {
                            r.conditions.add(c.asText());
                        }
                    }
                } else if (!e.getKey().equals("timeframe")) {
                    Detection d = read(e.getValue());
                    if (d == null) {
                        r.malformed = true;
                    } else {
                        r.detections.put(e.getKey(), d);
                    }
                }
            }
        }
        return r;
    }

    /** The search's items; null when its shape is one only the rule parser should judge. */
    private static Detection read(YamlNode search) {
        if (search.isMap()) {
            if (search.asMap().isEmpty()) {
                return null;
            }
            List<Detection> items = new ArrayList<>();
            search.asMap().forEach((k, v) -> items.add(DetectionItem.read(k, v)));
            return new Detection.Group(false, items);
        }
        List<YamlNode> xs = search.asListOrSingle();
        if (!xs.isEmpty() && xs.stream().allMatch(YamlNode::isMap)) {
            List<Detection> alts = new ArrayList<>();
            for (YamlNode m : xs) {
                Detection d = read(m);
                if (d == null) {
                    return null;
                }
                alts.add(d);
            }
            return new Detection.Group(true, alts);
        }
        if (xs.isEmpty() || !xs.stream().allMatch(YamlNode::isScalar)) {
            return null; // empty, or a mix of mappings and keywords: the rule parser's message
        }
        return new Detection.Group(false, List.of(DetectionItem.read("", search))); // keywords
    }

    private void readCorrelation(YamlNode c) {
        if (c == null || !c.isMap()) {
            return;
        }
        groupBy = new ArrayList<>();
        if (c.get("group-by") != null && !c.get("group-by").isNull()) {
            for (YamlNode g : c.get("group-by").asListOrSingle()) {
                if (!g.isScalar() || g.asText() == null) {
                    groupBy = null; // CorrelationReader refuses it with its own message
                    return;
                }
                groupBy.add(g.asText());
            }
        }
        aliases = new LinkedHashMap<>();
        YamlNode al = c.get("aliases");
        if (al != null && al.isMap()) {
            for (Map.Entry<String, YamlNode> a : al.asMap().entrySet()) {
                Map<String, String> perRule = new LinkedHashMap<>();
                if (a.getValue().isMap()) {
                    a.getValue().asMap().forEach((rule, f) -> perRule.put(rule, f.isScalar() ? f.asText() : null));
                }
                aliases.put(a.getKey(), perRule);
            }
        }
        YamlNode cond = c.get("condition");
        conditionField = cond != null && cond.isMap() && cond.get("field") != null && cond.get("field").isScalar()
                ? cond.text("field") : c.get("field") != null && c.get("field").isScalar() ? c.text("field") : null;
        location = c.get("location") != null && c.get("location").isScalar() ? c.text("location") : null;
    }

    /** The rules a correlation references, as written (ids or names). */
    List<String> references() {
        List<String> out = new ArrayList<>();
        YamlNode c = original.get("correlation");
        YamlNode rs = c == null ? null : c.get("rules");
        if (rs != null) {
            for (YamlNode r : rs.asListOrSingle()) {
                if (r.isScalar() && r.asText() != null) {
                    out.add(r.asText());
                }
            }
        }
        return out;
    }

    /** A top-level attribute of the rule as text (title, level, status, date, ...); null when absent or not a scalar. */
    String attribute(String name) {
        YamlNode v = original.get(name);
        return v != null && v.isScalar() ? v.asText() : null;
    }

    /** A top-level list attribute of the rule (tags, references, ...); a scalar is a list of one. */
    List<String> attributeList(String name) {
        List<String> out = new ArrayList<>();
        YamlNode v = original.get(name);
        if (v != null && !v.isNull() && !v.isMap()) {
            for (YamlNode x : v.asListOrSingle()) {
                if (x.isScalar() && x.asText() != null) {
                    out.add(x.asText());
                }
            }
        }
        return out;
    }

    boolean isList(String name) {
        YamlNode v = original.get(name);
        return v != null && v.isList();
    }

    /** Every detection item of the rule. */
    List<DetectionItem> items() {
        List<DetectionItem> out = new ArrayList<>();
        detections.values().forEach(d -> d.forEachItem(out::add));
        return out;
    }

    /** The document with the changed logsource and correlation fields; the rest as written. */
    YamlNode document() {
        if (!logsourceChanged && !correlationChanged) {
            return original;
        }
        Map<String, Object> top = new LinkedHashMap<>(original.asMap());
        if (logsourceChanged) {
            Map<String, Object> ls = new LinkedHashMap<>();
            YamlNode old = original.get("logsource");
            if (old != null && old.isMap()) {
                ls.putAll(old.asMap());
            }
            put(ls, "category", category);
            put(ls, "product", product);
            put(ls, "service", service);
            top.put("logsource", YamlNode.at(old != null ? old : original, ls));
        }
        if (correlationChanged) {
            YamlNode c = original.get("correlation");
            Map<String, Object> cm = new LinkedHashMap<>(c.asMap());
            if (c.get("group-by") != null) {
                cm.put("group-by", YamlNode.at(c.get("group-by"), new ArrayList<Object>(groupBy)));
            }
            if (c.get("aliases") != null && c.get("aliases").isMap()) {
                Map<String, Object> al = new LinkedHashMap<>();
                aliases.forEach((k, v) -> al.put(k, new LinkedHashMap<String, Object>(v)));
                cm.put("aliases", YamlNode.at(c.get("aliases"), al));
            }
            YamlNode cond = c.get("condition");
            if (cond != null && cond.isMap() && cond.get("field") != null) {
                Map<String, Object> cc = new LinkedHashMap<>(cond.asMap());
                cc.put("field", YamlNode.at(cond.get("field"), conditionField));
                cm.put("condition", YamlNode.at(cond, cc));
            } else if (c.get("field") != null) {
                cm.put("field", YamlNode.at(c.get("field"), conditionField));
            }
            if (c.get("location") != null) {
                cm.put("location", YamlNode.at(c.get("location"), location));
            }
            top.put("correlation", YamlNode.at(c, cm));
        }
        return YamlNode.at(original, top);
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (v == null) {
            m.remove(k);
        } else {
            m.put(k, v);
        }
    }

    /** The parsed detection: each search identifier compiled, then the (rewritten) conditions over them. */
    DetectionNode detection(DetectionParser parser) {
        YamlNode det = original.get("detection");
        if (malformed || det.get("timeframe") != null || conditions.isEmpty()) {
            return parser.detection(det); // its own message: timeframe, or no condition
        }
        Map<String, DetectionNode> searches = new LinkedHashMap<>();
        for (Map.Entry<String, Detection> e : detections.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw det.error("search '" + e.getKey() + "' has no detection item left after the processing"
                        + " pipelines (drop_detection_item dropped them all)");
            }
            searches.put(e.getKey(), e.getValue().compile(parser));
        }
        YamlNode where = det.get("condition") != null ? det.get("condition") : det;
        List<Object> conds = new ArrayList<>(conditions);
        return parser.condition(YamlNode.at(where, conds.size() == 1 ? conds.get(0) : conds), searches);
    }
}
