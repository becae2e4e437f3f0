package io.fendersec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;

import io.fendersec.error.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyFileTest {
    @TempDir
    Path dir;

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void readsPkcs8() throws Exception {
        KeyPair kp = rsa(2048);
        Path f = write("k.pem", pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        RSAPrivateKey key = PrivateKeyFile.load(f);
        assertThat(key.getModulus()).isEqualTo(((RSAPrivateCrtKey) kp.getPrivate()).getModulus());
    }

    @Test
    void readsPkcs1FromOpenssl() throws Exception {
        assertThat(run("openssl", "genrsa", "-traditional", "-out", "pkcs1.pem", "2048")).isZero();
        assertThat(Files.readString(dir.resolve("pkcs1.pem"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(run("openssl", "rsa", "-in", "pkcs1.pem", "-pubout", "-out", "pub.pem")).isZero();
        RSAPrivateKey key = PrivateKeyFile.load(dir.resolve("pkcs1.pem"));
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        // The same key as openssl's PKCS#8 rendering of it.
        assertThat(run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "pkcs1.pem", "-out", "pkcs8.pem")).isZero();
        assertThat(PrivateKeyFile.load(dir.resolve("pkcs8.pem")).getModulus()).isEqualTo(key.getModulus());
    }

    @Test
    void readsLargePkcs1WithLongFormLengths() throws Exception {
        assertThat(run("openssl", "genrsa", "-traditional", "-out", "big.pem", "4096")).isZero();
        assertThat(PrivateKeyFile.load(dir.resolve("big.pem")).getModulus().bitLength()).isEqualTo(4096);
    }

    @Test
    void refusesEncryptedPkcs8() throws Exception {
        assertThat(run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256",
                "-pass", "pass:x", "-out", "enc.pem")).isZero();
        assertRefused(dir.resolve("enc.pem"), "encrypted");
    }

    @Test
    void refusesEncryptedPkcs1() throws Exception {
        assertThat(run("openssl", "genrsa", "-traditional", "-aes256", "-passout", "pass:x", "-out", "enc1.pem", "2048"))
                .isZero();
        assertThat(Files.readString(dir.resolve("enc1.pem"))).contains("Proc-Type: 4,ENCRYPTED");
        assertRefused(dir.resolve("enc1.pem"), "encrypted");
    }

    @Test
    void refusesEcKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        Path f = write("ec.pem", pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded()));
        assertRefused(f, "EC key", "RSA");
    }

    @Test
    void refusesTraditionalEcKey() throws Exception {
        assertThat(run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec1.pem")).isZero();
        assertRefused(dir.resolve("ec1.pem"), "EC key", "RSA");
    }

    @Test
    void refusesShortKey() throws Exception {
        Path f = write("short.pem", pem("PRIVATE KEY", rsa(1024).getPrivate().getEncoded()));
        assertRefused(f, "1024-bit", "2048");
    }

    @Test
    void refusesPublicKeyGivenByMistake() throws Exception {
        Path f = write("pub.pem", pem("PUBLIC KEY", rsa(2048).getPublic().getEncoded()));
        assertRefused(f, "public key");
    }

    @Test
    void refusesMissingFile() {
        assertRefused(dir.resolve("nope.pem"), "does not exist");
    }

    @Test
    void refusesUnreadableFile() {
        // A directory cannot be read as a file, even by root (who ignores permission bits).
        assertRefused(dir, "cannot be read");
    }

    @Test
    void refusesNonPem() throws Exception {
        assertRefused(write("junk.pem", "hello"), "not a PEM file");
    }

    private static void assertRefused(Path file, String... fragments) {
        assertThatThrownBy(() -> PrivateKeyFile.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("source.auth.private-key: " + file)
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("MII"));
    }
}
