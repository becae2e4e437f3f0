package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;

/** {@code sinks.alerts[].evidence} and {@code report.dashboard-url} in the job spec. */
class EvidenceSpecTest {
    private static final String SOURCE = "source:\n  url: http://127.0.0.1:8090\n  auth: {client-id: a, private-key: k.pem}\n";

    @TempDir
    Path dir;

    private JobSpec read(String rest) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, SOURCE + rest);
        return new JobSpecReader().read(f);
    }

    private String error(String rest) {
        Throwable t = catchThrowable(() -> read(rest));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    @Test
    void evidenceIsIdsByDefaultAndLogsWhenAsked() throws Exception {
        JobSpec spec = read("sinks:\n  alerts:\n    - {type: file, path: a}\n    - {type: file, path: b, evidence: logs}\n"
                + "    - {type: console, evidence: ids}\n");
        assertThat(spec.sinks.evidenceLogs).containsExactly(false, true, false);
        assertThat(spec.sinks.anyEvidenceLogs()).isTrue();
        assertThat(read("sinks:\n  alerts:\n    - {type: file, path: a}\n").sinks.anyEvidenceLogs()).isFalse();
    }

    @Test
    void anUnknownEvidenceValueNamesTheKey() {
        assertThat(error("sinks:\n  alerts:\n    - {type: file, path: a, evidence: text}\n"))
                .contains("sinks.alerts[0].evidence", "ids | logs", "'text'");
    }

    @Test
    void dashboardUrlIsATemplateOfHttpOrHttpsOnly() throws Exception {
        JobSpec spec = read("report: {dashboard-url: 'https://dash.example.com/app/{app}/device/{device}?log={log}'}\n");
        assertThat(spec.dashboard.log("a 1", "d/1", "u&1"))
                .isEqualTo("https://dash.example.com/app/a%201/device/d%2F1?log=u%261");
        assertThat(read("sinks: {}\n").dashboard).isNull();

        assertThat(error("report: {dashboard-url: 'javascript:alert(1)//{device}'}\n"))
                .contains("report.dashboard-url", "only http and https", "'javascript:'");
        assertThat(error("report: {dashboard-url: 'https://x.example/{user}'}\n"))
                .contains("report.dashboard-url", "unknown placeholder {user}");
        assertThat(error("report: {dashboard-url: 'data:text/html,hi'}\n")).contains("report.dashboard-url");
        assertThat(error("report: {dashboard-url: 'https:///nohost'}\n")).contains("report.dashboard-url", "host");
        assertThat(error("report: {dashboard: x}\n")).contains("report.dashboard");
    }
}
