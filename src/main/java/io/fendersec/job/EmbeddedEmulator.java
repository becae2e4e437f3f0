package io.fendersec.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.fendersec.api.ClientSettings;
import io.fendersec.auth.AuthSettings;
import io.fendersec.emulator.BugfenderEmulator;
import io.fendersec.emulator.EmulatorKeys;

/**
 * {@code source.emulator}: the built-in emulator started in-process, with a fresh key pair, and
 * the client settings to read from it exactly as from the real service (JWT client assertion).
 */
public final class EmbeddedEmulator implements AutoCloseable {
    static final String CLIENT_ID = "fendersec-embedded";

    private final BugfenderEmulator emulator;
    private final Path keyDir;
    private final ClientSettings client;
    private final Instant start;
    private final Instant end;

    private EmbeddedEmulator(BugfenderEmulator emulator, Path keyDir, ClientSettings client, Instant start,
            Instant end) {
        this.emulator = emulator;
        this.keyDir = keyDir;
        this.client = client;
        this.start = start;
        this.end = end;
    }

    public static EmbeddedEmulator start(EmulatorSpec spec) throws IOException {
        Path keyDir = Files.createTempDirectory("fendersec-emulator-keys");
        KeyPair keys = EmulatorKeys.generateInto(keyDir);
        Instant end = spec.end != null ? spec.end : Instant.now().truncatedTo(ChronoUnit.DAYS);
        Path labels = spec.labels == null ? null : Path.of(spec.labels);
        if (labels != null && labels.getParent() != null) {
            Files.createDirectories(labels.getParent());
        }
        BugfenderEmulator emulator = BugfenderEmulator.builder()
                .labelsFile(labels)
                .bind("127.0.0.1").port(0)
                .seed(spec.seed).apps(spec.apps).days(spec.days).end(end).logsPerDay(spec.logsPerDay)
                .scenario(spec.scenario).liveRate(spec.liveRate)
                .serviceAccount(CLIENT_ID, keys.getPublic(), List.of())
                .start();
        ClientSettings client = ClientSettings.builder()
                .baseUrl(emulator.baseUrl())
                .auth(AuthSettings.builder().method(AuthSettings.Method.JWT).clientId(CLIENT_ID)
                        .privateKeyFile(keyDir.resolve(EmulatorKeys.PRIVATE_KEY_FILE).toString()).build())
                // Local and fast: no reason to hold readers back.
                .requestsPerSecond(1000)
                .build();
        return new EmbeddedEmulator(emulator, keyDir, client, end.minus(Duration.ofDays(spec.days)), end);
    }

    public BugfenderEmulator emulator() {
        return emulator;
    }

    public ClientSettings client() {
        return client;
    }

    /** The first instant of the generated data. */
    public Instant start() {
        return start;
    }

    /** The end (exclusive) of the generated data. */
    public Instant end() {
        return end;
    }

    @Override
    public void close() {
        emulator.close();
        try (Stream<Path> files = Files.walk(keyDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind holds only a throwaway demo key
        }
    }
}
