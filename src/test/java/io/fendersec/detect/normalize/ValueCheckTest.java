package io.fendersec.detect.normalize;

import static io.fendersec.detect.normalize.SecretRedactorTest.secretKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shortcut that skips a card-number extractor's regex when the text has fewer than 13 ASCII
 * digits (issue 32): it may only skip texts in which no card number can be found.
 */
class ValueCheckTest {
    // Mutation caught: the shortcut wants 14 digits (or more) where a card has 13 at least: the
    // 13-digit card, the only digits of its text, is no longer found.
    @Test
    void aThirteenDigitCardAloneInItsTextIsStillFound() {
        assertThat(secretKind("paid with 4222222222222 today")).isEqualTo("card_number");
    }

    // Mutation caught: the shortcut counts the longest run of digits instead of all of them: a card
    // written in groups of four has no run longer than 4 and would be skipped.
    @Test
    void aCardWrittenInGroupsIsStillFound() {
        assertThat(secretKind("Card entered: 4539 1488 0343 6467")).isEqualTo("card_number");
    }

    // Mutation caught: the shortcut never refuses (the regex runs on every text again, the cost the
    // shortcut removes), or counts any character rather than digits.
    @Test
    void aTextWithTwelveDigitsCannotHoldACard() {
        assertThat(ValueCheck.LUHN.mayPassWithin("order 1234-5678-9012 shipped")).isFalse();
        assertThat(ValueCheck.LUHN.mayPassWithin("order 1234-5678-9012-3 shipped")).isTrue();
        // Other checks have no such condition: their regex always runs.
        assertThat(ValueCheck.IBAN.mayPassWithin("no digits at all")).isTrue();
    }
}
