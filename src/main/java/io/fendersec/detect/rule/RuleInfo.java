package io.fendersec.detect.rule;

import java.io.Serializable;
import java.util.List;

/**
 * What every rule carries besides its logic. {@code id} is the rule's identity in Fendersec: the
 * Sigma {@code name} when there is one, else the Sigma {@code id}. {@code source} is "file:line".
 */
public record RuleInfo(String id, String sigmaId, String name, String title, String level, String description,
                       List<String> tags, List<String> references, String source) implements Serializable {
    public RuleInfo {
        tags = List.copyOf(tags);
        references = List.copyOf(references);
    }
}
