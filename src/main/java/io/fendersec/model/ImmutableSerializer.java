package io.fendersec.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base for serializers of immutable value types: copies are the value itself, and strings are
 * written with a length prefix (writeUTF stops at 64 KiB) and a null marker.
 */
public abstract class ImmutableSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /**
     * Writes a string that may be null or longer than 64 KiB: its length in bytes, then its UTF-8
     * bytes. A lone UTF-16 surrogate (a device can log one) has no UTF-8 form; it is written as
     * U+FFFD REPLACEMENT CHARACTER, the character every alert sink writes for it (sink.SinkSafeText),
     * not as the {@code ?} that {@link String#getBytes} would silently put there, so one value reads
     * the same in state, after a restore and in every sink. The format is unchanged: every other
     * string gives the same bytes as before, and savepoints that hold a {@code ?} still read.
     */
    public static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = withoutLoneSurrogates(s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** {@code s} with each lone surrogate replaced by U+FFFD; {@code s} itself when it has none. */
    static String withoutLoneSurrogates(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (b != null) {
                    b.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append('\uFFFD');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    public static String readString(DataInputView in) throws IOException {
        return readString(in.readInt(), in);
    }

    /** Reads a string whose length {@code n} was already read (a format marker's place). */
    public static String readString(int n, DataInputView in) throws IOException {
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
