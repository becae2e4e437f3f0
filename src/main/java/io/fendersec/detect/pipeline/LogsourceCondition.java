package io.fendersec.detect.pipeline;

import java.util.Locale;

/**
 * {@code type: logsource}: each of category, product and service the condition sets equals the
 * rule's (compared without case). A correlation matches when one of the rules it references does
 * (pySigma's reading).
 */
final class LogsourceCondition implements Condition.OnRule {
    private final String category;
    private final String product;
    private final String service;

    private LogsourceCondition(String category, String product, String service) {
        this.category = category;
        this.product = product;
        this.service = service;
    }

    static LogsourceCondition read(Args a) {
        return new LogsourceCondition(a.text("category", false), a.text("product", false), a.text("service", false));
    }

    @Override
    public boolean test(WorkingRule rule, PipelineRun run) {
        if (rule.correlation) {
            return rule.references().stream().map(run.rules()::get)
                    .anyMatch(r -> r != null && r != rule && !r.correlation && test(r, run));
        }
        return same(category, rule.category) && same(product, rule.product) && same(service, rule.service);
    }

    private static boolean same(String want, String have) {
        return want == null || (have != null && want.toLowerCase(Locale.ROOT).equals(have.toLowerCase(Locale.ROOT)));
    }
}
