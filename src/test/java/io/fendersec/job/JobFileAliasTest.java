package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;

/**
 * YAML aliases in job files: Jackson reads {@code *u} as the text "u", so {@code client-id: *u}
 * would sign in as "u". Refused with the line; on the command line ({@code --set}) an alias-like
 * value such as a glob {@code *.yml} is the text itself. Also: {@code rules.placeholders}.
 */
class JobFileAliasTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void anAliasInAJobFileIsRefusedWithItsLine() throws Exception {
        Path f = write("x-user: &u svc-account\nsource:\n  url: https://dashboard.bugfender.com\n"
                + "  auth:\n    client-id: *u\n    private-key: k.pem\n");
        assertThatThrownBy(() -> new JobSpecReader().read(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("job.yaml: line 5").hasMessageContaining("alias");
    }

    @Test
    void aSetValueThatLooksLikeAnAliasIsText() throws Exception {
        Files.writeString(dir.resolve("a.yml"), "title: t\nid: a\ndetection: {s: {text: x}, condition: s}\n");
        Path f = write("source:\n  emulator: {seed: 1}\n");
        JobSpec spec = new JobSpecReader().set("rules.sigma=*.yml").read(f);
        assertThat(spec.rules.sigma).extracting(p -> p.getFileName().toString()).containsExactly("a.yml");
    }

    @Test
    void placeholdersAreReadAndAnUndefinedOneIsAConfigError() throws Exception {
        Files.writeString(dir.resolve("r.yml"), "title: t\nid: a\ndetection:\n  s: {user.name|expand: '%Admins%'}\n"
                + "  condition: s\n");
        JobSpec spec = new JobSpecReader().read(write(
                "source:\n  emulator: {seed: 1}\nrules:\n  builtin: []\n  sigma: [r.yml]\n"
                        + "  placeholders: {Admins: [root, admin]}\n"));
        assertThat(spec.rules.placeholders).containsEntry("Admins", List.of("root", "admin"));
        assertThat(Pipeline.loadRules(spec).detections()).hasSize(1);
        JobSpec without = new JobSpecReader().read(write(
                "source:\n  emulator: {seed: 1}\nrules:\n  builtin: []\n  sigma: [r.yml]\n"));
        assertThatThrownBy(() -> Pipeline.loadRules(without)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("r.yml:4").hasMessageContaining("%Admins%");
    }
}
