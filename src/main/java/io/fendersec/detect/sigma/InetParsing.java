package io.fendersec.detect.sigma;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP literals without DNS: {@link InetAddress#getByName} would resolve host names. */
public final class InetParsing {
    private InetParsing() {}

    /** The address bytes, or null when {@code s} is not an IPv4 or IPv6 literal. */
    public static byte[] parse(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            // Only hex digits, colons and dots can make an IPv6 literal; anything else would reach DNS.
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return null;
                }
            }
            try {
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int n = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                n = n * 10 + (c - '0');
            }
            if (n > 255) {
                return null;
            }
            b[i] = (byte) n;
        }
        return b;
    }
}
