package io.fendersec.source.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.emulator.BugfenderEmulator;

/**
 * An in-process emulator with one client-secret account, and client settings that reference the
 * secret through a file (the form a job uses on a cluster), so the secret never sits in a setting.
 */
public final class EmulatorFixture implements AutoCloseable {
    public static final String CLIENT_ID = "fendersec-it";

    public final BugfenderEmulator emulator;
    public final String secret = "s3cr3t-" + UUID.randomUUID();
    public final Path secretFile;

    private EmulatorFixture(UnaryOperator<BugfenderEmulator.Builder> customize) throws IOException {
        secretFile = Files.createTempFile("fendersec-secret", ".txt");
        Files.writeString(secretFile, secret + "\n");
        emulator = customize.apply(BugfenderEmulator.builder().clientSecret(CLIENT_ID, secret, List.of())).start();
    }

    public static EmulatorFixture start(UnaryOperator<BugfenderEmulator.Builder> customize) throws IOException {
        return new EmulatorFixture(customize);
    }

    public ClientSettings clientSettings() {
        return ClientSettings.builder().baseUrl(emulator.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.CLIENT_SECRET).clientId(CLIENT_ID)
                        .clientSecret(SecretRef.file(secretFile.toString())).build())
                .requestsPerSecond(1000).build();
    }

    /**
     * The {@code source.url} and {@code source.auth} lines of a job file for this account, indented
     * under {@code source:}; the secret stays a {@code ${file:}} reference.
     */
    public String sourceYaml() {
        return String.join("\n",
                "  url: " + emulator.baseUrl(),
                "  auth:",
                "    method: client-secret",
                "    client-id: " + CLIENT_ID,
                "    client-secret: ${file:" + secretFile + "}");
    }

    @Override
    public void close() throws IOException {
        emulator.close();
        Files.deleteIfExists(secretFile);
    }
}
