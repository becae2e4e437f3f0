package io.fendersec.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class TokenStoreTest {
    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-03-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void unredeemedCodesLeaveMemoryOnceExpired() {
        Moving clock = new Moving();
        TokenStore store = new TokenStore(clock, Duration.ofHours(1));
        for (int i = 0; i < 1000; i++) {
            store.issueCode("int-1", "urn:ietf:wg:oauth:2.0:oob", "alice");
        }
        clock.now = clock.now.plus(TokenStore.CODE_TTL).plusSeconds(1);
        String fresh = store.issueCode("int-1", "urn:ietf:wg:oauth:2.0:oob", "alice");
        assertThat(store.codesHeld()).isEqualTo(1);
        assertThat(store.redeemCode(fresh, "int-1", "urn:ietf:wg:oauth:2.0:oob").user).isEqualTo("alice");
        assertThatThrownBy(() -> store.redeemCode(fresh, "int-1", "urn:ietf:wg:oauth:2.0:oob")).isInstanceOf(OAuthError.class);
    }
}
