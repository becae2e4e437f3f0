package io.fendersec.detect.enrich;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small MaxMind DB file (format 2.0, IPv4 search tree, 32-bit records) for tests, so that
 * GeoIP is tested through MaxMind's own reader against a database built here rather than a binary
 * checked in. MaxMind's Java writer ({@code com.maxmind.db:maxmind-db-writer}) is not on Maven
 * Central; this follows the published format (maxmind.github.io/MaxMind-DB) for the few types a
 * City record needs: maps, UTF-8 strings, doubles, unsigned integers and arrays.
 */
public final class MmdbTestWriter {
    private final String databaseType;
    private final Map<String, Map<String, Object>> networks = new LinkedHashMap<>();
    /** Nodes the metadata claims beyond those written: a damaged or truncated database. */
    private long extraNodesClaimed;

    public MmdbTestWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** A City record: country ISO code, English city name, location. */
    public static Map<String, Object> city(String iso, String city, double lat, double lon) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("city", Map.of("names", Map.of("en", city)));
        r.put("country", Map.of("iso_code", iso, "names", Map.of("en", iso)));
        r.put("location", Map.of("latitude", lat, "longitude", lon));
        return r;
    }

    /** Adds {@code cidr} (IPv4, e.g. {@code 81.2.69.0/24}) with its record. */
    /** The metadata claims {@code n} more search-tree nodes than the file holds. */
    public MmdbTestWriter claimExtraNodes(long n) {
        this.extraNodesClaimed = n;
        return this;
    }

    public MmdbTestWriter put(String cidr, Map<String, Object> record) {
        networks.put(cidr, record);
        return this;
    }

    public void write(Path file) throws IOException {
        // The search tree: node 0 is the root; each node has a left (0) and right (1) record.
        List<long[]> nodes = new ArrayList<>();
        nodes.add(new long[] {-1, -1});
        List<Object[]> leaves = new ArrayList<>(); // {node, side, data offset}
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, Map<String, Object>> n : networks.entrySet()) {
            String[] parts = n.getKey().split("/");
            byte[] address = java.net.InetAddress.getByName(parts[0]).getAddress();
            int prefix = Integer.parseInt(parts[1]);
            int node = 0;
            for (int b = 0; b < prefix - 1; b++) {
                int bit = (address[b / 8] >> (7 - b % 8)) & 1;
                if (nodes.get(node)[bit] < 0) {
                    nodes.add(new long[] {-1, -1});
                    nodes.get(node)[bit] = nodes.size() - 1;
                }
                node = (int) nodes.get(node)[bit];
            }
            int last = (address[(prefix - 1) / 8] >> (7 - (prefix - 1) % 8)) & 1;
            leaves.add(new Object[] {node, last, data.size()});
            encode(n.getValue(), data);
        }
        long count = nodes.size();
        for (Object[] l : leaves) {
            nodes.get((Integer) l[0])[(Integer) l[1]] = -2 - (Integer) l[2]; // data, resolved below
        }
        ByteBuffer tree = ByteBuffer.allocate((int) count * 8);
        for (long[] n : nodes) {
            for (long r : n) {
                long v = r == -1 ? count : r <= -2 ? count + 16 + (-2 - r) : r;
                tree.putInt((int) v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tree.array());
        out.write(new byte[16]);
        out.write(data.toByteArray());
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("binary_format_major_version", new Unsigned(5, 2));
        meta.put("binary_format_minor_version", new Unsigned(5, 0));
        meta.put("build_epoch", new Unsigned(9, 1_700_000_000L));
        meta.put("database_type", databaseType);
        meta.put("description", Map.of("en", "Fendersec test database"));
        meta.put("ip_version", new Unsigned(5, 4));
        meta.put("languages", List.of("en"));
        meta.put("node_count", new Unsigned(6, count + extraNodesClaimed));
        meta.put("record_size", new Unsigned(5, 32));
        encode(meta, out);
        Files.write(file, out.toByteArray());
    }

    /** An unsigned integer of MaxMind type 5 (uint16), 6 (uint32) or 9 (uint64). */
    record Unsigned(int type, long value) {}

    @SuppressWarnings("unchecked")
    private static void encode(Object v, ByteArrayOutputStream out) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            control(2, b.length, out);
            out.writeBytes(b);
        } else if (v instanceof Double d) {
            control(3, 8, out);
            out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
        } else if (v instanceof Unsigned u) {
            int width = u.type() == 5 ? 2 : u.type() == 6 ? 4 : 8;
            control(u.type(), width, out);
            for (int i = width - 1; i >= 0; i--) {
                out.write((int) (u.value() >>> (8 * i)) & 0xFF);
            }
        } else if (v instanceof Map<?, ?> m) {
            control(7, m.size(), out);
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                encode(e.getKey(), out);
                encode(e.getValue(), out);
            }
        } else if (v instanceof List<?> l) {
            control(11, l.size(), out);
            for (Object e : l) {
                encode(e, out);
            }
        } else {
            throw new IllegalArgumentException("type not written: " + v);
        }
    }

    /** A control byte: type (extended types > 7 in a second byte) and size (up to 284 here), then its extra byte. */
    private static void control(int type, int size, ByteArrayOutputStream out) {
        if (size > 284) {
            throw new IllegalArgumentException("sizes over 284 are not written by this test writer");
        }
        int sizeBits = Math.min(size, 29);
        if (type <= 7) {
            out.write((type << 5) | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        if (size >= 29) {
            out.write(size - 29);
        }
    }
}
