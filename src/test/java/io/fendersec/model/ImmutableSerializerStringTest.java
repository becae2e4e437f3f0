package io.fendersec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 26 §2: a value reads the same in state and in every sink. The sinks write U+FFFD for a lone
 * surrogate (SinkSafeText); state must not turn it into something else ('?', what String.getBytes
 * does), and the bytes of every other string must stay what earlier releases wrote (savepoints).
 */
class ImmutableSerializerStringTest {

    private static byte[] written(String s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        ImmutableSerializer.writeString(s, out);
        return out.getCopyOfBuffer();
    }

    private static String read(byte[] bytes) throws IOException {
        return ImmutableSerializer.readString(new DataInputDeserializer(bytes));
    }

    /**
     * Mutation caught: writeString back to plain {@code s.getBytes(UTF_8)} (the lone surrogates come back
     * as '?' after a restore while the sinks wrote U+FFFD).
     */
    @Test
    void aLoneSurrogateComesBackAsTheReplacementCharacterTheSinksWrite() throws IOException {
        assertThat(read(written("a\uD800b\uDC00"))).isEqualTo("a\uFFFDb\uFFFD");
        // A high surrogate at the very end, and one followed by another high surrogate.
        assertThat(read(written("x\uD83D"))).isEqualTo("x\uFFFD");
        assertThat(read(written("\uD83D\uD83D\uDE00"))).isEqualTo("\uFFFD\uD83D\uDE00");
    }

    /**
     * Savepoint compatibility: the bytes, written by hand, of a string with U+0000 and an emoji (a valid
     * pair), of null and of an old savepoint's '?'. Mutation caught: any change of the format (a marker, a
     * different length unit, U+0000 replaced in state).
     */
    @Test
    void everyOtherStringIsWrittenAsBefore() throws IOException {
        assertThat(written("a\u0000\uD83D\uDE00")).containsExactly(0, 0, 0, 6, 'a', 0, 0xF0 - 256, 0x9F - 256,
                0x98 - 256, 0x80 - 256);
        assertThat(written(null)).containsExactly(-1, -1, -1, -1);
        assertThat(read(new byte[] {0, 0, 0, 2, 'a', '?'})).isEqualTo("a?");
        String plain = "brute-force";
        assertThat(ImmutableSerializer.withoutLoneSurrogates(plain)).isSameAs(plain);
    }
}
