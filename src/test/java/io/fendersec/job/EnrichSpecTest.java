package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.detect.enrich.KeyMatch;
import io.fendersec.error.ConfigException;

/** The job spec's {@code enrich} section: keys, defaults, and errors with key path, file and line. */
class EnrichSpecTest {
    static final String SOURCE = "source:\n  url: https://dashboard.bugfender.com\n  auth:\n    client-id: sa-1\n"
            + "    private-key: keys/k.pem\n";

    @TempDir
    Path dir;

    private JobSpec read(String enrich) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, SOURCE + enrich);
        return new JobSpecReader().read(f);
    }

    @Test
    void noSectionMeansNoEnrichment() throws Exception {
        assertThat(read("").enrich.enrichment().isEmpty()).isTrue();
    }

    @Test
    void lookupsAreReadRelativeToTheJobFile() throws Exception {
        Files.writeString(dir.resolve("vip.csv"), "tier,account\ngold,ana@example.com\n");
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/nets.txt"), "{\"net\": \"10.0.0.0/8\", \"zone\": \"corp\"}\n");
        JobSpec spec = read("""
                enrich:
                  lookups:
                    - {file: vip.csv, key: user.name, key-column: account, prefix: vip}
                    - {file: t/nets.txt, format: jsonl, key: source.ip, match: cidr, prefix: internal}
                """);
        assertThat(spec.enrich.enrichment().fieldNames())
                .containsExactly("vip.tier", "vip.account", "internal.net", "internal.zone");
        assertThat(spec.enrich.enrichment().lookups().get(1).table().match()).isEqualTo(KeyMatch.CIDR);
        assertThat(spec.normalizer().enrichment()).isSameAs(spec.enrich.enrichment());
    }

    @Test
    void aBadRowIsNamedByKeyPathFileAndLine() throws Exception {
        Files.writeString(dir.resolve("devices.csv"), "udid,team\nqa-1,qa\nqa-2,qa\nqa-3,qa\nqa-4,qa\nqa-5,qa\nqa-6\n");
        assertThatThrownBy(() -> read("enrich:\n  lookups:\n    - {file: devices.csv, key: device.udid, prefix: test}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enrich.lookups[0].file: devices.csv line 7: 1 fields, the header has 2");
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPath() throws Exception {
        Files.writeString(dir.resolve("a.csv"), "k,v\nx,1\n");
        ConfigException e = (ConfigException) catchThrowable(() -> read("""
                enrich:
                  lookups:
                    - {file: a.csv, key: user.name, prefix: a, kye: x}
                    - {file: missing.csv, key: user.name, prefix: b}
                    - {file: a.txt, key: user.name, prefix: c}
                    - {file: a.csv, prefix: 'd e'}
                    - {file: a.csv, key: source.ip, prefix: e, match: subnet}
                  geo-ip: x.mmdb
                """));
        assertThat(e.getMessage())
                .contains("enrich.geo-ip: unknown key")
                .contains("enrich.lookups[0].kye: unknown key")
                .contains("enrich.lookups[1].file: no file " + dir.resolve("missing.csv"))
                .contains("enrich.lookups[2].format: cannot tell from the name 'a.txt'")
                .contains("enrich.lookups[3].key: missing")
                .contains("enrich.lookups[3].prefix: expected letters, digits")
                .contains("enrich.lookups[4].match: expected one of exact | cidr, got 'subnet'");
    }

    @Test
    void aJoinedFieldAnExtractorAlsoWritesIsRefused() throws Exception {
        Files.writeString(dir.resolve("tz.csv"), "tz,region\nEurope/Madrid,south\n");
        assertThatThrownBy(() -> read("enrich:\n  lookups:\n    - {file: tz.csv, key: timezone, prefix: geo}\n"))
                .hasMessageContaining("field 'geo.region' is also written by a normalize extractor");
    }

    @Test
    void aGeoIpDatabaseThatIsNotThereIsAConfigurationError() throws Exception {
        assertThatThrownBy(() -> read("enrich:\n  geoip: GeoLite2-City.mmdb\n"))
                .hasMessageContaining("enrich.geoip: no file " + dir.resolve("GeoLite2-City.mmdb"));
    }

    @Test
    void aFileOverTheCapIsRefusedBeforeItIsRead() throws Exception {
        Path big = dir.resolve("big.csv");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.position(EnrichSpec.MAX_FILE_BYTES + 1).write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
        }
        assertThatThrownBy(() -> read("enrich:\n  lookups:\n    - {file: big.csv, key: user.name, prefix: big}\n"))
                .hasMessageContaining("enrich.lookups[0].file: " + big + " is " + (EnrichSpec.MAX_FILE_BYTES + 2)
                        + " bytes, more than the " + EnrichSpec.MAX_FILE_BYTES);
    }
}
