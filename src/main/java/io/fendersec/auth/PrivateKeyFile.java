package io.fendersec.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.error.ConfigException;

/**
 * Loads the service account's RSA private key from a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY})
 * or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa -traditional} writes).
 *
 * <p>PKCS#1 is wrapped into a PKCS#8 structure (a few bytes of DER) so the JDK's own key factory
 * reads both, without BouncyCastle. Every error names {@code source.auth.private-key} and the
 * file, and says what was found instead of an unencrypted RSA key of at least 2048 bits. The
 * key's bytes never appear in a message.
 */
public final class PrivateKeyFile {
    public static final String KEY = "source.auth.private-key";
    public static final int MIN_BITS = 2048;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private PrivateKeyFile() {}

    public static RSAPrivateKey load(Path file) {
        String pem = read(file);
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw error(file, "is not a PEM file (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----;"
                    + " make one with `openssl genrsa -out private-key.pem 2048`)");
        }
        String type = m.group(1);
        String body = m.group(2);
        switch (type) {
            case "PRIVATE KEY":
                return rsa(file, decode(file, body), "PKCS#8");
            case "RSA PRIVATE KEY":
                if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
                    throw encrypted(file);
                }
                return rsa(file, wrapPkcs1(decode(file, body)), "PKCS#1");
            case "ENCRYPTED PRIVATE KEY":
                throw encrypted(file);
            case "PUBLIC KEY":
            case "RSA PUBLIC KEY":
            case "CERTIFICATE":
                throw error(file, "holds a " + (type.equals("CERTIFICATE") ? "certificate" : "public key")
                        + ", not the private key: the public key is what is registered with Bugfender;"
                        + " point this setting at the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
            case "EC PRIVATE KEY":
            case "DSA PRIVATE KEY":
            case "OPENSSH PRIVATE KEY":
                throw error(file, "holds a " + type.replace(" PRIVATE KEY", "") + " key; Bugfender's client assertions are"
                        + " signed with RS256 and need an RSA key (`openssl genrsa -out private-key.pem 2048`)");
            default:
                throw error(file, "holds a PEM block of type '" + type + "', not an RSA private key");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw error(file, "does not exist");
        } catch (AccessDeniedException e) {
            throw error(file, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw error(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] decode(Path file, String body) {
        try {
            return Base64.getMimeDecoder().decode(body.trim());
        } catch (IllegalArgumentException e) {
            throw error(file, "has a PEM block whose content is not valid base64");
        }
    }

    private static RSAPrivateKey rsa(Path file, byte[] pkcs8, String format) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        RSAPrivateKey key;
        try {
            key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException | ClassCastException e) {
            String other = otherAlgorithm(pkcs8);
            if (other != null) {
                throw error(file, "holds a " + other + " key; Bugfender's client assertions are signed with RS256 and need"
                        + " an RSA key (`openssl genrsa -out private-key.pem 2048`)");
            }
            throw error(file, "holds a " + format + " block that is not a readable RSA private key");
        }
        int bits = key.getModulus().bitLength();
        if (bits < MIN_BITS) {
            throw error(file, "holds a " + bits + "-bit RSA key; RS256 needs at least " + MIN_BITS
                    + " bits (`openssl genrsa -out private-key.pem 2048`)");
        }
        return key;
    }

    /** Names the algorithm of a PKCS#8 key the JDK can read but that is not RSA, or null. */
    private static String otherAlgorithm(byte[] pkcs8) {
        for (String alg : new String[] {"EC", "Ed25519", "Ed448", "DSA", "X25519", "X448", "RSASSA-PSS"}) {
            try {
                KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                return alg;
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this one either
            }
        }
        return null;
    }

    /** PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {0x02, 0x01, 0x00});
        content.writeBytes(RSA_ALGORITHM_ID);
        content.write(0x04);
        writeLength(content, pkcs1.length);
        content.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** DER definite length: short form below 128, else 0x80|n followed by n big-endian bytes. */
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int n = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | n);
        for (int i = n - 1; i >= 0; i--) {
            out.write((length >>> (8 * i)) & 0xff);
        }
    }

    private static ConfigException encrypted(Path file) {
        return error(file, "holds an encrypted private key; fendersec needs it unencrypted (protect the file with"
                + " permissions instead): `openssl rsa -in " + file.getFileName() + " -out private-key.pem`");
    }

    private static ConfigException error(Path file, String what) {
        return new ConfigException(KEY + ": " + file + " " + what);
    }
}
