package io.fendersec.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RSA keys on the emulator's side: a demo key pair for {@code --generate-keys}, and reading the
 * public keys service accounts register. The client has its own key loading; this one only
 * needs what {@code openssl rsa -pubout} writes (X.509 SubjectPublicKeyInfo PEM).
 */
public final class EmulatorKeys {
    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";

    private static final Pattern PUBLIC_PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private EmulatorKeys() {}

    /** A fresh RSA 2048 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate RSA keys", e);
        }
    }

    /**
     * Generates a key pair and writes {@code private-key.pem} (PKCS#8, readable by the owner only
     * where the file system allows) and {@code public-key.pem} (X.509) into {@code dir}.
     */
    public static KeyPair generateInto(Path dir) throws IOException {
        KeyPair kp = generate();
        Files.createDirectories(dir);
        Path priv = dir.resolve(PRIVATE_KEY_FILE);
        Files.writeString(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps its default permissions
        }
        Files.writeString(dir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", kp.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        return kp;
    }

    public static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    /** Reads an RSA public key PEM; throws {@link IllegalArgumentException} saying what is wrong. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    public static PublicKey parsePublicKey(String pem) {
        Matcher m = PUBLIC_PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PEM public key (expected -----BEGIN PUBLIC KEY-----, as openssl rsa -pubout writes)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            if (((RSAPublicKey) key).getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("RSA public key is shorter than 2048 bits");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("RSA")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("not a valid RSA public key (X.509 SubjectPublicKeyInfo)");
        }
    }
}
