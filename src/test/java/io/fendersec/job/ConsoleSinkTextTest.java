package io.fendersec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;
import io.fendersec.sink.ConsoleSinkSettings;

import org.junit.jupiter.api.Test;

/** The console alert sink prints device text (groups, device ids) with control and bidi characters escaped. */
class ConsoleSinkTextTest {
    @Test
    void consoleLineEscapesDeviceTextAndStaysTheSameAlert() {
        Map<String, String> group = Map.of("device.udid", "d\u202e\u009b2J\u007f\u2066");
        Alert a = Alert.builder().alertId(Alert.idFor("r", "app", group, 0)).ruleId("r").kind("detection").title("t")
                .severity("high").app("app").group(group).window(0, 1000).seen(0, 1000).count(1)
                .evidence(List.of("u1")).device("d\u202e\u009b2J\u007f\u2066").tags(List.of()).references(List.of()).build();
        String line = ConsoleSinkSettings.DEFAULT.line(a);
        assertThat(line.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e || c == 0x2066)).isEmpty();
        assertThat(AlertJson.fromJson(line)).isEqualTo(a);
    }
}
