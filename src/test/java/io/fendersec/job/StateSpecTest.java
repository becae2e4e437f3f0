package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;

/** {@code state.backend}, {@code state.incremental} and {@code rules.max-groups} (issue 26). */
class StateSpecTest {
    @TempDir
    Path dir;

    private JobSpec read(String extra) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "source:\n  url: https://dashboard.bugfender.com\n  mode: continuous\n"
                + "  auth: {client-id: sa-1, private-key: k.pem}\n" + extra);
        return new JobSpecReader().read(f);
    }

    // Mutation caught: FlinkConfig not setting state.backend.type -> a rocksdb job silently on the heap.
    @Test
    void theBackendReachesFlinkAndDefaultsToTheHeapWithIncrementalCheckpoints() throws Exception {
        Configuration heap = FlinkConfig.of(read(""), null);
        assertThat(heap.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(heap.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        Configuration rocks = FlinkConfig.of(read("state: {backend: rocksdb, incremental: false}\n"), null);
        assertThat(rocks.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(rocks.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }

    // Mutation caught: no checkpoint directory without checkpointing.dir -> the JobManager's 5 MB
    // in-memory storage, which failed every checkpoint of a job with a few ten thousand groups.
    @Test
    void withoutACheckpointDirCheckpointsGoToAPrivateFolderOnDisk() throws Exception {
        String uri = FlinkConfig.of(read(""), null).get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertThat(uri).startsWith("file:");
        Path folder = Path.of(java.net.URI.create(uri));
        assertThat(folder).isDirectory();
        assertThat(Files.getPosixFilePermissions(folder)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void maxGroupsDefaultsAndIsRead() throws Exception {
        assertThat(read("").rules.maxGroups).isEqualTo(100_000);
        assertThat(read("rules: {max-groups: 5000}\n").rules.maxGroups).isEqualTo(5000);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> read("state: {backend: memory}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.backend: unknown state backend 'memory'");
        assertThatThrownBy(() -> read("state: {incremental: sometimes}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.incremental: expected true or false");
        assertThatThrownBy(() -> read("rules: {max-groups: 0}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.max-groups: expected a whole number from 1");
    }
}
