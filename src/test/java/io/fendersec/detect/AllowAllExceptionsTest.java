package io.fendersec.detect;

import static io.fendersec.detect.ExceptionsTest.message;
import static io.fendersec.detect.ExceptionsTest.pack;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import io.fendersec.detect.rule.RuleSet;

/**
 * Issue 27 §4: an exception whose values match everything ({@code '*'}, {@code 0.0.0.0/0},
 * {@code ::/0}, {@code 1.2.3.4/0}) switches its rule off for every log, with {@code rule: '*'}
 * every detection. It is refused unless the entry says {@code allow-all: true} with a reason.
 */
class AllowAllExceptionsTest {

    // Mutation caught: no match-all check at all (the file loads and the exception is "active").
    // Seen failing before the fix: pack() returned 4 active exceptions.
    @Test
    void valuesThatMatchEverythingAreRefusedNamingTheValueAndTheWayOut() {
        String m = message("""
                exceptions:
                  - {rule: '*', field: user.name, values: ['*']}
                  - {rule: brute-force, field: source.ip, values: [10.0.0.0/8, 0.0.0.0/0]}
                  - {rule: '*', field: source.ip, values: ['::/0']}
                  - {rule: brute-force, field: client.ip, values: 1.2.3.4/0}
                  - {rule: brute-force, field: device.udid, values: ['?*']}
                """);
        assertThat(m).contains("exceptions.yml: exceptions[0].values[0]: '*' matches every user.name, so this"
                        + " exception silences every detection for every log: list the values meant, or add allow-all: true with a reason")
                .contains("exceptions.yml: exceptions[1].values[1]: '0.0.0.0/0' matches every source.ip, so this exception"
                        + " silences rule 'brute-force'")
                .contains("exceptions.yml: exceptions[2].values[0]: '::/0' matches every source.ip")
                .contains("exceptions.yml: exceptions[3].values: '1.2.3.4/0' matches every client.ip")
                .contains("exceptions.yml: exceptions[4].values[0]: '?*' matches every device.udid");
    }

    // Mutation caught: allow-all accepted without a reason (or the reason check reads the wrong key).
    @Test
    void allowAllNeedsAReasonAndABoolean() {
        assertThat(message("exceptions:\n  - {rule: '*', field: user.name, values: ['*'], allow-all: true}\n"))
                .contains("exceptions.yml: exceptions[0].allow-all: an exception that allows everything needs a reason");
        assertThat(message("exceptions:\n  - {rule: '*', field: user.name, values: [a], allow-all: 'yes please', reason: r}\n"))
                .contains("exceptions.yml: exceptions[0].allow-all: expected true or false, got 'yes please'");
    }

    // Mutation caught: a match-all test too wide (refusing a prefix such as 10.0.0.0/8, a /0 inside a
    // longer number such as /10, or a value with a wildcard beside text such as 'qa-*').
    @Test
    void narrowValuesAndAllowAllWithAReasonAreAccepted() {
        RuleSet rules = pack("""
                exceptions:
                  - {rule: brute-force, field: source.ip, values: [10.0.0.0/8, 192.168.0.0/16, '2001:db8::/32', 10.0.0.0/10]}
                  - {rule: brute-force, field: user.name, values: ['qa-*', '*-bot', 'a?c', '\\\\*']}
                  - {rule: '*', field: device.udid, values: ['*'], allow-all: true, reason: 'lab fleet only, TICKET-9'}
                """);
        assertThat(rules.exceptions()).hasSize(3);
        assertThat(rules.exceptions().get(0).silencesEverything()).isFalse();
        assertThat(rules.exceptions().get(1).silencesEverything()).isFalse();
        assertThat(rules.exceptions().get(2).allowAll()).isTrue();
        assertThat(rules.exceptions().get(2).silencesEverything()).isTrue();
    }
}
