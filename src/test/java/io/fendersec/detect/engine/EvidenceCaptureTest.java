package io.fendersec.detect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.rule.RuleSet;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.EvidenceLog;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/** The evidence log made of a matched log, before it enters correlation state: redacted, then cut. */
class EvidenceCaptureTest {
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlc2ln";

    static LogRecord log(String text) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(LogFields.UUID, "u-1");
        f.put(LogFields.DEVICE_UDID, "dev-1");
        f.put(LogFields.LOG_LEVEL, 2L);
        f.put(LogFields.TEXT, text);
        return LogRecord.of(f);
    }

    @Test
    void aHugeLineWithASecretAtTheCutIsRedactedThenCut() {
        MatchFunction f = new MatchFunction(Normalizer.defaults(), RuleSet.empty(),
                DetectionSettings.defaults().withEvidenceLogs(true));
        // The secret straddles the cut: cutting first would leave its first half unredacted.
        String text = "x".repeat(EvidenceLog.MAX_TEXT - 20) + " " + JWT + " " + "y".repeat(1_000_000);
        EvidenceLog l = f.evidenceLog(log(text), 42);
        assertThat(l.text()).hasSize(EvidenceLog.MAX_TEXT + 1).endsWith(EvidenceLog.CUT).doesNotContain("eyJ")
                .contains("[redacted jw");
        assertThat(l.uuid()).isEqualTo("u-1");
        assertThat(l.device()).isEqualTo("dev-1");
        assertThat(l.level()).isEqualTo("error");
        assertThat(l.timeMillis()).isEqualTo(42);
        assertThat(f.evidenceLog(log(null), 1).text()).isEmpty();
    }
}
