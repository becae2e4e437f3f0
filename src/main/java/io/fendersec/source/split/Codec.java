package io.fendersec.source.split;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.fendersec.api.LogQuery;

/**
 * Field encodings shared by the split and enumerator-state serializers. Strings are length-prefixed
 * UTF-8 (not {@code writeUTF}, which stops at 64 KiB); nullable values carry a presence byte.
 * Changing any encoding here changes the on-disk format: bump the serializers' versions and keep a
 * reader for the old layout.
 */
public final class Codec {
    private Codec() {}

    public static void writeString(DataOutputView out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt state: negative string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeNullableString(DataOutputView out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    public static String readNullableString(DataInputView in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    public static void writeInstant(DataOutputView out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    public static Instant readInstant(DataInputView in) throws IOException {
        long s = in.readLong();
        return Instant.ofEpochSecond(s, in.readInt());
    }

    /** A query, layout v1: app, from, to?, page size, text?, device?, level?. */
    public static void writeQuery(DataOutputView out, LogQuery q) throws IOException {
        writeString(out, q.appId());
        writeInstant(out, q.from());
        out.writeBoolean(q.to() != null);
        if (q.to() != null) {
            writeInstant(out, q.to());
        }
        out.writeInt(q.pageSize());
        writeNullableString(out, q.text());
        writeNullableString(out, q.deviceUdid());
        out.writeBoolean(q.level() != null);
        if (q.level() != null) {
            out.writeInt(q.level());
        }
    }

    public static LogQuery readQuery(DataInputView in) throws IOException {
        String app = readString(in);
        LogQuery.Builder b = LogQuery.builder(app, readInstant(in));
        if (in.readBoolean()) {
            b.to(readInstant(in));
        }
        b.pageSize(in.readInt());
        b.text(readNullableString(in));
        b.deviceUdid(readNullableString(in));
        if (in.readBoolean()) {
            b.level(in.readInt());
        }
        return b.build();
    }
}
