package io.fendersec.cli;

import static io.fendersec.cli.RulesCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fendersec.cli.RulesCommandTest.Result;

/**
 * {@code rules test --self} over the example of a Sigma v2.2 temporal condition with {@code not}
 * ({@code examples/rules/success-without-mfa.yml}, docs/rules.md "Temporal conditions"): its four
 * examples, written by hand, pass. Mutation caught (seen failing): the negated rule ignored -> the
 * sign-in followed by MFA alerts, "a sign-in and the MFA step a minute later" FAILs (exit 1).
 */
class TemporalExampleSelfTestTest {
    @Test
    void theAbsenceExamplePassesItsOwnExamples() {
        Result r = run("rules", "test", "--self", "examples/rules/success-without-mfa.yml");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).doesNotContain("FAIL")
                .contains("4 example(s): 4 passed, 0 failed; 0 rule file(s) without tests;"
                        + " rules no example expects to alert: none");
    }
}
