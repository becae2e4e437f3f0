package io.fendersec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.fendersec.error.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRefreshTokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesAtomicallyWithOwnerOnlyMode() throws Exception {
        Path f = dir.resolve("state/refresh-token");
        FileRefreshTokenStore store = new FileRefreshTokenStore(f);
        store.save("rt-one");
        assertThat(store.read()).isEqualTo("rt-one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        store.save("rt-two");
        assertThat(store.read()).isEqualTo("rt-two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (var files = Files.list(f.getParent())) {
            assertThat(files).containsExactly(f); // no temp file left behind
        }
    }

    /**
     * A save that fails leaves the old token readable and whole, names the key, and never the new
     * token. The failure is one root cannot bypass (CI runs as root, which ignores permission
     * bits): the token file's name is 250 bytes, legal on its own, so the temp file beside it
     * ({@code .NAME.<random>.tmp}, over 255 bytes) cannot be created (ENAMETOOLONG). The old
     * token is therefore written as {@code fendersec login} would have left it, not by this store.
     *
     * <p>Mutation caught: writing the token in place (truncate, then write) instead of a temp file
     * and a rename would make this save succeed; one that truncates first and fails later leaves an
     * empty file. Also: a message that carries the token.
     */
    @Test
    void aFailedSaveLeavesTheOldTokenWhole() throws Exception {
        Path f = dir.resolve("t".repeat(250));
        Files.writeString(f, "rt-old\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        FileRefreshTokenStore store = new FileRefreshTokenStore(f);
        assertThat(store.read()).isEqualTo("rt-old");
        assertThatThrownBy(() -> store.save("rt-new")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.auth.refresh-token-file").hasMessageNotContaining("rt-new");
        assertThat(store.read()).isEqualTo("rt-old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f); // nothing half-written left beside it
        }
    }

    @Test
    void missingFileSaysToLogIn() {
        assertThatThrownBy(() -> new FileRefreshTokenStore(dir.resolve("none")).read())
                .isInstanceOf(ConfigException.class).hasMessageContaining("fendersec login");
    }
}
