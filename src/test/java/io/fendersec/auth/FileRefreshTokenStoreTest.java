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

    @Test
    void aFailedSaveLeavesTheOldTokenWhole() throws Exception {
        Path f = dir.resolve("refresh-token");
        FileRefreshTokenStore store = new FileRefreshTokenStore(f);
        store.save("rt-old");
        dir.toFile().setWritable(false);
        try {
            if (Files.isWritable(dir)) {
                return; // root ignores the bit; the crash case is covered by the emulator test
            }
            assertThatThrownBy(() -> store.save("rt-new")).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("source.auth.refresh-token-file").hasMessageNotContaining("rt-new");
            assertThat(store.read()).isEqualTo("rt-old");
        } finally {
            dir.toFile().setWritable(true);
        }
    }

    @Test
    void missingFileSaysToLogIn() {
        assertThatThrownBy(() -> new FileRefreshTokenStore(dir.resolve("none")).read())
                .isInstanceOf(ConfigException.class).hasMessageContaining("fendersec login");
    }
}
