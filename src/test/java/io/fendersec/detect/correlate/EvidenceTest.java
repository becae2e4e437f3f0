package io.fendersec.detect.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Evidence}: lists that share arrays behave as independent immutable lists. */
class EvidenceTest {
    @Test
    void listsGrownFromOneAnotherKeepTheirOwnContents() {
        Evidence a = Evidence.of(List.of("u1", "u2"));
        Evidence b = a.plus("u3"); // copies: a's arrays are full
        Evidence c = b.plus("u4"); // writes on in b's arrays
        Evidence fromB = b.plus("x"); // b is no longer the latest: copies, c keeps u4
        Evidence fromA = a.plus("y");
        assertThat(a).containsExactly("u1", "u2");
        assertThat(b).containsExactly("u1", "u2", "u3");
        assertThat(c).containsExactly("u1", "u2", "u3", "u4");
        assertThat(fromB).containsExactly("u1", "u2", "u3", "x");
        assertThat(fromA).containsExactly("u1", "u2", "y");
        assertThat(c.plus("u5").plus("u6")).containsExactly("u1", "u2", "u3", "u4", "u5", "u6");
        assertThat(fromB.plus("z")).containsExactly("u1", "u2", "u3", "x", "z");
        assertThat(b).doesNotContain("u4", "x").contains("u3");
        assertThat(b.indexOf("u4")).isEqualTo(-1);
        assertThatThrownBy(() -> b.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aLongChainIsTheListOfItsUuids() {
        Evidence e = Evidence.of(List.of());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            e = e.plus("u" + i);
            expected.add("u" + i);
            assertThat(e).isEqualTo(expected).hasSameHashCodeAs(expected);
        }
        assertThat(e.contains("u0")).isTrue();
        assertThat(e.contains("u100")).isFalse();
    }

    @Test
    void lookupsCompareStringsWhenHashCodesCollide() {
        // "Aa" and "BB" share a String hash code: a lookup by hash alone would find the wrong one.
        Evidence e = Evidence.of(List.of("Aa")).plus("C");
        assertThat(e.contains("BB")).isFalse();
        assertThat(e.plus("BB").indexOf("BB")).isEqualTo(2);
        assertThat(e.contains(null)).isFalse();
        assertThat(e.contains(42)).isFalse();
    }

    @Test
    void itIsAnImmutableCopy() {
        List<String> source = new ArrayList<>(List.of("u1"));
        Evidence e = Evidence.of(source);
        source.add("u2");
        assertThat(e).containsExactly("u1");
        assertThat(Evidence.of(e)).isSameAs(e);
        assertThatThrownBy(() -> e.add("u3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Evidence.of(Arrays.asList("u1", null))).isInstanceOf(NullPointerException.class);
    }
}
