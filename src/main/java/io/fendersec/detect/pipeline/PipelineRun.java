package io.fendersec.detect.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What a processing step may consult besides the rule: the pipelines' variables (merged over the
 * chain, a later pipeline's value winning, as pySigma adds pipelines) and the other rules, which a
 * logsource condition on a correlation looks through.
 *
 * @param vars  variable → values ({@code value_placeholders})
 * @param rules a rule's Sigma id or name → the rule as processed so far (absent: not loaded)
 */
record PipelineRun(Map<String, List<String>> vars, Map<String, WorkingRule> rules) {}
