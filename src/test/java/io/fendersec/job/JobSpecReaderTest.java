package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.auth.AuthSettings;
import io.fendersec.auth.SecretRef;
import io.fendersec.error.ConfigException;
import io.fendersec.source.ReadMode;

class JobSpecReaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void minimalSpecGetsTheDocumentedDefaults() throws Exception {
        JobSpec spec = new JobSpecReader().read(write(
                "source:\n  url: https://dashboard.bugfender.com\n  auth:\n    client-id: sa-1\n    private-key: keys/k.pem\n"));
        assertThat(spec.source.settings.mode()).isEqualTo(ReadMode.BOUNDED);
        assertThat(spec.source.settings.allApps()).isTrue();
        assertThat(spec.source.client.auth().method()).isEqualTo(AuthSettings.Method.JWT);
        assertThat(spec.source.client.auth().privateKeyFile()).isEqualTo(dir.resolve("keys/k.pem").toString());
        assertThat(spec.source.client.tokenUrl().toString()).isEqualTo("https://dashboard.bugfender.com/auth/token");
        assertThat(spec.source.settings.pageSize()).isEqualTo(10_000);
        assertThat(spec.source.settings.slice()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.rules.builtin).containsExactly("all");
        assertThat(spec.sinks.alerts).isEmpty();
        assertThat(spec.sinks.archivePath).isNull();
        assertThat(spec.parallelism).isEqualTo(1);
        Instant now = Instant.parse("2026-11-28T13:45:00Z");
        assertThat(spec.source.resolveFrom(now, now.minus(Duration.ofHours(24)))).isEqualTo(Instant.parse("2026-11-27T13:45:00Z"));
        assertThat(spec.source.resolveTo(now, now)).isEqualTo(now);
    }

    @Test
    void misspeltKeyIsReportedWithTheClosestValidKey() throws Exception {
        assertThatThrownBy(() -> new JobSpecReader().read(write(
                "source:\n  url: http://127.0.0.1:8090\n  form: -24h\n  auth: {client-id: a, private-key: k.pem}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.form: unknown key (did you mean source.from?)");
    }

    @Test
    void reportsEveryErrorAtOnceEachWithItsKeyPath() throws Exception {
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> new JobSpecReader().read(write(
                "source:\n  url: ftp://x\n  mode: bonded\n  page-size: 20000\n  slice: 1 hour\n"
                        + "  auth: {method: client-secret, client-id: cs, client-secret: hunter2}\n"
                        + "parallelism: 0\nsinkz: {}\n")));
        assertThat(e.getMessage())
                .contains("source.mode: expected one of bounded | continuous, got 'bonded' (did you mean bounded?)")
                .contains("source.page-size: expected a whole number from 1 to 10000, got 20000")
                .contains("source.slice: expected a duration such as 250ms, 10s, 5m, 1h or 7d, got '1 hour'")
                .contains("source.auth.client-secret: expected a secret reference")
                .contains("parallelism: expected a whole number from 1 to 1024, got 0")
                .contains("sinkz: unknown key (did you mean sinks?)")
                .doesNotContain("hunter2");
        assertThat(e.getMessage().split("\n")).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void relativeAndSnappedTimes() throws Exception {
        JobSpec spec = new JobSpecReader().read(write(
                "source:\n  url: http://127.0.0.1:8090\n  auth: {client-id: a, private-key: k.pem}\n  from: -1d@d\n  to: '@d'\n"));
        Instant now = Instant.parse("2026-11-28T13:45:00Z");
        assertThat(spec.source.from.resolve(now)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(spec.source.to.resolve(now)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
    }

    @Test
    void secretReferencesAreKeptUnresolvedAndCheckedOnlyWhenAsked() throws Exception {
        Path f = write("source:\n  url: http://127.0.0.1:8090\n"
                + "  auth: {method: client-secret, client-id: cs, client-secret: '${env:FENDERSEC_TEST_UNSET_VAR}'}\n");
        JobSpec spec = new JobSpecReader().read(f);
        assertThat(spec.source.client.auth().clientSecret()).isEqualTo(SecretRef.env("FENDERSEC_TEST_UNSET_VAR"));
        assertThatThrownBy(() -> new JobSpecReader().checkReferences(true).read(f))
                .hasMessageContaining("source.auth.client-secret: environment variable FENDERSEC_TEST_UNSET_VAR is not set");
    }

    @Test
    void setOverridesAKeyWithItsYamlType() throws Exception {
        JobSpec spec = new JobSpecReader().set("source.page-size=250").set("source.mode=continuous").read(write(
                "source:\n  url: http://127.0.0.1:8090\n  auth: {client-id: a, private-key: k.pem}\n"));
        assertThat(spec.source.settings.pageSize()).isEqualTo(250);
        assertThat(spec.source.settings.mode()).isEqualTo(ReadMode.CONTINUOUS);
        assertThat(spec.source.resolveTo(Instant.now(), Instant.now())).isNull();
    }

    @Test
    void missingSourceAndBadYaml() throws Exception {
        assertThatThrownBy(() -> new JobSpecReader().read(write("parallelism: 2\n")))
                .hasMessageContaining("source: missing; expected a section");
        assertThatThrownBy(() -> new JobSpecReader().read(write("source: [\n")))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> new JobSpecReader().read(dir.resolve("nope.yaml")))
                .hasMessageContaining("no such job file");
    }

    @Test
    void rulesExceptionsIsAFileRelativeToTheJobFolder() throws Exception {
        Files.writeString(dir.resolve("exceptions.yml"), "exceptions: []\n");
        JobSpec spec = new JobSpecReader().read(write("source:\n  emulator: {}\nrules:\n  exceptions: exceptions.yml\n"));
        assertThat(spec.rules.exceptions).isEqualTo(dir.resolve("exceptions.yml"));
        assertThat(new JobSpecReader().read(write("source:\n  emulator: {}\n")).rules.exceptions).isNull();
        assertThatThrownBy(() -> new JobSpecReader().read(write("source:\n  emulator: {}\nrules:\n  exceptions: nope.yml\n")))
                .hasMessageContaining("rules.exceptions: no such file: " + dir.resolve("nope.yml"));
    }

    @Test
    void ruleGlobsExpandAgainstTheJobFolder() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/b.yml"), "title: b");
        Files.writeString(dir.resolve("rules/a.yml"), "title: a");
        JobSpec spec = new JobSpecReader().read(write("source:\n  emulator: {seed: 7}\nrules:\n  sigma: [rules/*.yml]\n"));
        assertThat(spec.rules.sigma).containsExactly(dir.resolve("rules/a.yml"), dir.resolve("rules/b.yml"));
        assertThat(spec.source.emulator.seed).isEqualTo(7);
        assertThatThrownBy(() -> new JobSpecReader().read(write("source:\n  emulator: {}\nrules:\n  sigma: [nope/*.yml]\n")))
                .hasMessageContaining("rules.sigma: 'nope/*.yml' matches no file");
    }

    @Test
    void shippedJobFilesAreValid() {
        for (String f : new String[] {"jobs/nightly.yaml", "jobs/continuous.yaml"}) {
            JobSpec spec = new JobSpecReader().read(Path.of(f));
            assertThat(spec.source.client.auth().method()).as(f).isEqualTo(AuthSettings.Method.JWT);
        }
        assertThat(new JobSpecReader().read(Path.of("jobs/continuous.yaml")).source.settings.mode())
                .isEqualTo(ReadMode.CONTINUOUS);
        JobSpec demo = new JobSpecReader().read(Path.of("jobs/demo.yaml"));
        assertThat(demo.source.emulator.scenario).isEqualTo("all");
        // The demo command runs the copy inside the jar: it must be the same file.
        assertThat(JobSpecReader.class.getResource("/jobs/demo.yaml")).isNotNull();
    }

    @Test
    void sourceSectionReadsEveryKeyAndResolvesPathsAgainstTheJobFolder() throws Exception {
        JobSpec spec = new JobSpecReader().read(write("source:\n  url: http://127.0.0.1:8090/\n"
                + "  auth:\n    method: client-secret\n    client-id: svc\n    client-secret: ${file:secrets/cs}\n"
                + "  network:\n    bind-address: 127.0.0.2\n    proxy: http://proxy.internal:3128\n"
                + "  apps: [a1, 2]\n  from: -7d\n  to: 2030-01-01T00:00:00Z\n"));
        var s = spec.source.client;
        assertThat(s.baseUrl().toString()).isEqualTo("http://127.0.0.1:8090");
        assertThat(s.auth().clientSecret()).isEqualTo(SecretRef.file(dir.resolve("secrets/cs").toString()));
        assertThat(s.bindAddress()).isEqualTo("127.0.0.2");
        assertThat(s.proxy()).isEqualTo(java.net.URI.create("http://proxy.internal:3128"));
        assertThat(spec.source.settings.appIds()).containsExactly("a1", "2");
        Instant now = Instant.parse("2026-11-28T00:00:00Z");
        assertThat(spec.source.resolveFrom(now, null)).isEqualTo(now.minus(Duration.ofDays(7)));
        assertThat(spec.source.resolveTo(now, null)).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void sourceSectionIsTheSourcesOwnSettingsModel() throws Exception {
        String base = "source:\n  url: http://h:1\n  auth: {client-id: c, private-key: k.pem}\n";
        JobSpec spec = new JobSpecReader().read(write(base + "  mode: continuous\n  apps: [b, a, b]\n  slice: 2h\n"
                + "  page-size: 250\n  poll-interval: 1s\n  discovery-interval: 2m\n  max-out-of-orderness: 0s\n"
                + "  idleness: 30s\n  max-clock-skew: 1m\n"));
        assertThat(spec.source.settings).isEqualTo(io.fendersec.source.SourceSettings.builder()
                .mode(ReadMode.CONTINUOUS).apps("b", "a").slice(Duration.ofHours(2)).pageSize(250)
                .pollInterval(Duration.ofSeconds(1)).discoveryInterval(Duration.ofMinutes(2))
                .maxOutOfOrderness(Duration.ZERO).idleness(Duration.ofSeconds(30)).maxClockSkew(Duration.ofMinutes(1))
                .build());
        assertThat(new JobSpecReader().read(write(base)).source.settings)
                .isEqualTo(io.fendersec.source.SourceSettings.builder().build());
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> new JobSpecReader()
                .read(write(base + "  slice: 0s\n  idleness: 0ms\n  apps: []\n")));
        assertThat(e.getMessage()).contains("source.slice: expected a duration above zero")
                .contains("source.idleness: expected a duration above zero")
                .contains("source.apps: expected [all] or a list of app ids, got an empty list");
    }

    @Test
    void sourceSectionErrorsNameTheKey() throws Exception {
        String base = "source:\n  url: http://h:1\n  auth:\n    method: client-secret\n    client-id: c\n"
                + "    client-secret: ${env:X}\n";
        assertThatThrownBy(() -> new JobSpecReader().read(write(base + "  colour: red\n")))
                .hasMessageContaining("source.colour: unknown key");
        assertThatThrownBy(() -> new JobSpecReader().read(write(base.replace("client-id", "client-idd"))))
                .hasMessageContaining("source.auth.client-idd: unknown key (did you mean source.auth.client-id?)");
        assertThatThrownBy(() -> new JobSpecReader().read(write(base + "  network:\n    bind-address: myhost\n")))
                .hasMessageContaining("source.network.bind-address:");
        assertThatThrownBy(() -> new JobSpecReader().read(write(base + "  from: yesterday\n")))
                .hasMessageContaining("source.from: expected an RFC 3339 time");
        assertThatThrownBy(() -> new JobSpecReader().read(write(
                "source:\n  url: http://h:1\n  auth: {client-id: c, private-key: k.pem, assertion-lifetime: 5m}\n")))
                .hasMessageContaining("source.auth.assertion-lifetime:");
    }
}
