package io.fendersec.detect.enrich;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Networks (IPv4 and IPv6 apart) and a value for each, looked up by longest-prefix match: the most
 * specific network containing an address wins, so {@code 10.1.0.0/16} overrides {@code 10.0.0.0/8}.
 * A binary trie over address bits in flat arrays: a lookup walks at most 32 (128) nodes and
 * allocates nothing. Immutable once built.
 */
final class CidrIndex implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int NONE = -1;

    /** Per node: child for bit 0 and 1 (0 = none; node 0 is a root), and the value stored there. */
    private int[] zero;
    private int[] one;
    private int[] value;
    private int size;
    /** Roots for 4-byte and 16-byte addresses. */
    private final int root4;
    private final int root6;

    CidrIndex() {
        zero = new int[64];
        one = new int[64];
        value = new int[64];
        root4 = node();
        root6 = node();
    }

    private int node() {
        if (size == zero.length) {
            zero = Arrays.copyOf(zero, size * 2);
            one = Arrays.copyOf(one, size * 2);
            value = Arrays.copyOf(value, size * 2);
        }
        value[size] = NONE;
        return size++;
    }

    /**
     * Stores {@code v} for the network of {@code address} and {@code prefix} bits; returns the value
     * stored there before, or -1. Bits of the address beyond the prefix are ignored.
     */
    int put(byte[] address, int prefix, int v) {
        int n = address.length == 4 ? root4 : root6;
        for (int b = 0; b < prefix; b++) {
            boolean bit = bit(address, b);
            int next = bit ? one[n] : zero[n];
            if (next == 0) {
                next = node();
                if (bit) {
                    one[n] = next;
                } else {
                    zero[n] = next;
                }
            }
            n = next;
        }
        int old = value[n];
        value[n] = v;
        return old;
    }

    /** The value of the longest prefix containing {@code address}, or -1. */
    int longestMatch(byte[] address) {
        int n = address.length == 4 ? root4 : root6;
        int best = value[n];
        for (int b = 0; b < address.length * 8; b++) {
            n = bit(address, b) ? one[n] : zero[n];
            if (n == 0) {
                break;
            }
            if (value[n] != NONE) {
                best = value[n];
            }
        }
        return best;
    }

    /** Trims the arrays to what they hold, once built. */
    CidrIndex compact() {
        zero = Arrays.copyOf(zero, size);
        one = Arrays.copyOf(one, size);
        value = Arrays.copyOf(value, size);
        return this;
    }

    private static boolean bit(byte[] a, int b) {
        return (a[b >>> 3] & (0x80 >>> (b & 7))) != 0;
    }
}
