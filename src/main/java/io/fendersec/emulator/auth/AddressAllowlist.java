package io.fendersec.emulator.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** A client's allowed source addresses as CIDR ranges; an empty list allows any address. */
public final class AddressAllowlist {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<String> cidrs;
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    private AddressAllowlist(List<String> cidrs) {
        this.cidrs = List.copyOf(cidrs);
        for (String c : cidrs) {
            int slash = c.indexOf('/');
            byte[] addr = parseLiteral(slash < 0 ? c : c.substring(0, slash), c);
            int max = addr.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(c.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + c + "' is not a CIDR range (prefix length is not a number)");
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("'" + c + "' is not a CIDR range (prefix length must be 0.." + max + ")");
                }
            }
            networks.add(addr);
            prefixes.add(prefix);
        }
    }

    /**
     * Parses CIDR ranges ({@code 10.0.0.0/8}, {@code 127.0.0.2/32}, {@code ::1/128}; a bare address
     * means the one address). Throws {@link IllegalArgumentException} naming the bad entry.
     */
    public static AddressAllowlist of(List<String> cidrs) {
        return new AddressAllowlist(cidrs == null ? List.of() : cidrs);
    }

    public static AddressAllowlist any() {
        return new AddressAllowlist(List.of());
    }

    public List<String> cidrs() {
        return Collections.unmodifiableList(cidrs);
    }

    public boolean allows(InetAddress address) {
        if (networks.isEmpty()) {
            return true;
        }
        byte[] a = address.getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixes.get(i), a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, int prefix, byte[] a) {
        if (network.length != a.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != a[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[full] & mask) == (a[full] & mask);
    }

    /** Parses an IP literal without ever resolving a name. */
    private static byte[] parseLiteral(String s, String cidr) {
        var m4 = IPV4.matcher(s);
        if (m4.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(m4.group(i + 1));
                if (v > 255) {
                    throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range (octet " + v + " > 255)");
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (s.contains(":") && IPV6.matcher(s).matches()) {
            try {
                // A literal with ':' is never looked up in DNS.
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                // falls through
            }
        }
        throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range (expected e.g. 10.0.0.0/8 or ::1/128)");
    }
}
