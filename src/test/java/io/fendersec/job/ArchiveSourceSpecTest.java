package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;

/**
 * {@code source.type: archive} in job files, read without a cluster. Mutations caught: the docs'
 * retrohunt example not loading as written; a relative {@code source.archive.dir} not resolved
 * against the job file's folder (it would follow the working directory); {@code source.apps}
 * dropped for an archive; API keys or a stray {@code source.archive} section accepted silently.
 */
class ArchiveSourceSpecTest {
    @Test
    void theRetrohuntExampleOfTheDocsReadsAsWritten(@TempDir Path dir) throws Exception {
        String doc = Files.readString(Path.of("docs/rules.md"));
        int start = doc.indexOf("\n## Hunting in the archive\n");
        int end = doc.indexOf("\n## ", start + 4);
        String body = doc.substring(start, end < 0 ? doc.length() : end);
        int at = body.indexOf("```yaml\n");
        String yaml = body.substring(at + 8, body.indexOf("```", at + 8));
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/x.yml"),
                "title: x\nname: x\nlogsource: {product: bugfender}\ndetection: {s: {text: x}, condition: s}\n");
        Path job = dir.resolve("retrohunt.yaml");
        Files.writeString(job, yaml);

        JobSpec spec = new JobSpecReader().read(job);
        assertThat(spec.source.archive.dir()).isEqualTo("/var/lib/fendersec/archive");
        assertThat(spec.source.archive.apps()).isEmpty();
        Instant now = Instant.parse("2026-12-08T13:45:00Z");
        assertThat(spec.source.resolveFrom(now, null)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(spec.source.resolveTo(now, null)).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
    }

    @Test
    void aRelativeFolderIsTheJobFilesAndAppsAreKept(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("j.yaml");
        Files.writeString(job, "source:\n  type: archive\n  archive: {dir: logs}\n  apps: [a1, a2]\n");
        JobSpec spec = new JobSpecReader().read(job);
        assertThat(spec.source.archive.dir()).isEqualTo(dir.resolve("logs").toString());
        assertThat(spec.source.archive.apps()).isEqualTo(List.of("a1", "a2"));
        assertThat(spec.source.client).isNull();
    }

    @Test
    void apiKeysAndAStrayArchiveSectionAreErrorsNamingTheirKeys(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("j.yaml");
        Files.writeString(job, "source:\n  type: archive\n  archive: {dir: logs}\n  mode: continuous\n  page-size: 10\n");
        assertThatThrownBy(() -> new JobSpecReader().read(job)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.mode").hasMessageContaining("source.page-size");

        Path stray = dir.resolve("s.yaml");
        Files.writeString(stray, "source:\n  url: https://x.example\n  auth: {client-id: c, private-key: k.pem}\n"
                + "  archive: {dir: logs}\n");
        assertThatThrownBy(() -> new JobSpecReader().read(stray)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.archive").hasMessageContaining("source.type: archive");

        Path typo = dir.resolve("t.yaml");
        Files.writeString(typo, "source:\n  type: archiv\n");
        assertThatThrownBy(() -> new JobSpecReader().read(typo)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.type").hasMessageContaining("archive");
    }
}
