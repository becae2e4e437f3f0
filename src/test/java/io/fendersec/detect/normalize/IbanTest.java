package io.fendersec.detect.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.model.LogRecord;

/**
 * The ISO 13616 check behind pii.iban (issue 30), on IBANs from the standard's and banks' published
 * examples, and near misses. Mutation caught (seen failing): comparing the remainder with 0 instead of 1.
 */
class IbanTest {
    @Test
    void publishedExamplesPassAndOneChangedDigitFails() {
        assertThat(Iban.valid("DE89 3704 0044 0532 0130 00")).isTrue();
        assertThat(Iban.valid("GB82 WEST 1234 5698 7654 32")).isTrue();
        assertThat(Iban.valid("ES91 2100 0418 4502 0005 1332")).isTrue();
        assertThat(Iban.valid("fr14 2004 1010 0505 0001 3m02 606")).isTrue();
        assertThat(Iban.valid("DE89 3704 0044 0532 0130 01")).isFalse();
        assertThat(Iban.valid("GB82 WEST 1234 5698 7654 33")).isFalse();
        assertThat(Iban.valid("DE89")).isFalse();
        assertThat(Iban.valid("1289 3704 0044 0532 0130 00")).isFalse();
        assertThat(Iban.valid("DE89-3704-0044-0532-0130-00")).isFalse();
    }

    @Test
    void theDefaultExtractorsReportAnIbanOnlyWhenItPasses() {
        Normalizer n = Normalizer.defaults();
        assertThat(n.normalize(text("Transfer to DE89 3704 0044 0532 0130 00 queued")).extracted())
                .containsEntry("pii.iban", "iban");
        assertThat(n.normalize(text("Transfer to DE89 3704 0044 0532 0130 02 queued")).extracted())
                .doesNotContainKey("pii.iban");
        assertThat(n.normalize(text("Build AB12 CDEF 3456 7890 12 shipped")).extracted()).doesNotContainKey("pii.iban");
    }

    private static LogRecord text(String t) {
        return LogRecord.of(Map.of("uuid", "u", "app", "a", "text", t));
    }
}
