package io.fendersec.emulator.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * A position in a read, as the opaque {@code cursor} parameter carries it. Either page
 * {@code page} of the snapshot fixed at arrival seq {@code position} (the newest log that had
 * arrived when the snapshot was taken), or the tail "after arrival seq {@code position}".
 *
 * <p>A cursor carries a fingerprint of the query and page size it was made for, so a cursor
 * replayed with other parameters is refused instead of silently reading something else.
 */
public final class Cursor {
    public enum Kind { SNAPSHOT, TAIL }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    final Kind kind;
    final long position;
    final int page;
    final String fingerprint;

    Cursor(Kind kind, long position, int page, String fingerprint) {
        this.kind = kind;
        this.position = position;
        this.page = page;
        this.fingerprint = fingerprint;
    }

    public Kind kind() {
        return kind;
    }

    public long position() {
        return position;
    }

    public int page() {
        return page;
    }

    public String encode() {
        String plain = kind == Kind.SNAPSHOT
                ? "s." + position + "." + page + "." + fingerprint
                : "t." + position + "." + fingerprint;
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** Decodes a cursor; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static Cursor decode(String encoded) {
        String plain;
        try {
            plain = new String(DECODER.decode(encoded), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not a cursor this server issued");
        }
        String[] parts = plain.split("\\.", -1);
        try {
            if (parts.length == 4 && parts[0].equals("s")) {
                long h = Long.parseLong(parts[1]);
                int page = Integer.parseInt(parts[2]);
                if (h >= 0 && page >= 0) {
                    return new Cursor(Kind.SNAPSHOT, h, page, parts[3]);
                }
            } else if (parts.length == 3 && parts[0].equals("t")) {
                long after = Long.parseLong(parts[1]);
                if (after >= 0) {
                    return new Cursor(Kind.TAIL, after, 0, parts[2]);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal below
        }
        throw new IllegalArgumentException("cursor is not a cursor this server issued");
    }

    /** The fingerprint binding a cursor to its query and page size. Stable across runs. */
    static String fingerprint(StoreQuery query, int pageSize) {
        CRC32 crc = new CRC32();
        crc.update((query.canonical() + "|" + pageSize).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
