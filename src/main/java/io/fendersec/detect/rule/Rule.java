package io.fendersec.detect.rule;

import java.io.Serializable;

/** A loaded Sigma rule: a detection over single logs or a correlation over other rules' matches. */
public sealed interface Rule extends Serializable permits DetectionRule, CorrelationRule {
    RuleInfo info();

    default String id() {
        return info().id();
    }

    /** "detection" or the correlation type, for listings. */
    String kind();
}
