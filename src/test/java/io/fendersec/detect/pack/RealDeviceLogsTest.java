package io.fendersec.detect.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fendersec.detect.rule.DetectionSettings;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.engine.LocalEvaluator;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.model.Alert;
import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * The whole built-in pack over real Android logs that no attacker wrote (issue 30): loghub's
 * Android framework sample and its HealthApp sample (src/test/resources/loghub, with attribution),
 * 4,000 lines, read as an app would upload them to Bugfender (text, tag, level, device time). The
 * expectation, written from what the logs are (a phone in ordinary use): no alert at all. Mutation
 * caught (seen failing): screen-capture-sensitive without its sensitive-screen condition alerts on
 * the framework's "Taking screenshot from Surface"; likewise a rule widened to a bare word these logs
 * use ("emulated" storage paths, "installer", "Proxy" class names).
 */
class RealDeviceLogsTest {
    /** logcat: {@code 03-17 16:13:38.811  1702  2395 D WindowManager: text}. */
    private static final Pattern LOGCAT = Pattern.compile(
            "^(\\d\\d)-(\\d\\d) (\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\s+(\\d+)\\s+(\\d+) ([VDIWEFA]) ([^:]*?)\\s*: (.*)$");
    /** HealthApp: {@code 20171223-22:15:29:606|Step_LSC|30002312|text} (fields after the hour not padded: {@code 23:1:5:778}). */
    private static final Pattern HEALTH = Pattern.compile(
            "^(\\d{4})(\\d\\d)(\\d\\d)-(\\d{1,2}):(\\d{1,2}):(\\d{1,2}):(\\d{1,3})\\|([^|]*)\\|(\\d+)\\|(.*)$");

    @Test
    void thePackIsSilentOnRealDeviceLogs() throws IOException {
        List<LogRecord> android = android();
        List<LogRecord> health = health();
        // every line of both samples was read (a parsing slip must not shrink the corpus unnoticed)
        assertThat(android).hasSize(2000);
        assertThat(health).hasSize(2000);
        List<LogRecord> all = new ArrayList<>(android);
        all.addAll(health);
        List<Alert> alerts = LocalEvaluator.evaluate(all, Normalizer.defaults(), RuleLoader.builtin(), DetectionSettings.defaults());
        assertThat(alerts).extracting(a -> a.ruleId() + " " + a.group()).isEmpty();
    }

    private static List<LogRecord> android() throws IOException {
        List<LogRecord> out = new ArrayList<>();
        for (String line : lines("Android_2k.log")) {
            Matcher m = LOGCAT.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            out.add(record("android", out.size(), "2017-" + m.group(1) + "-" + m.group(2) + "T" + m.group(3) + "Z",
                    level(m.group(6)), m.group(7), Long.parseLong(m.group(5)), m.group(8)));
        }
        return out;
    }

    private static List<LogRecord> health() throws IOException {
        List<LogRecord> out = new ArrayList<>();
        for (String line : lines("HealthApp_2k.log")) {
            Matcher m = HEALTH.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            String time = String.format("%s-%s-%sT%02d:%02d:%02d.%03dZ", m.group(1), m.group(2), m.group(3),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                    Integer.parseInt(m.group(7)));
            out.add(record("health", out.size(), time, LogFields.LEVEL_INFO, m.group(8), Long.parseLong(m.group(9)),
                    m.group(10)));
        }
        return out;
    }

    private static LogRecord record(String device, int seq, String time, int level, String tag, long thread, String text) {
        return LogRecord.builder().put(LogFields.UUID, device + "-" + seq).put(LogFields.APP, "loghub-" + device)
                .put(LogFields.DEVICE_UDID, "loghub-" + device).put(LogFields.VERSION, "1.0").put(LogFields.TIME, time)
                .put(LogFields.ABSOLUTE_TIME, (long) seq).put(LogFields.LOG_LEVEL, (long) level).put(LogFields.TAG, tag)
                .put(LogFields.THREAD_ID, thread).put(LogFields.TEXT, text).build();
    }

    /** logcat's priority letters as Bugfender levels (0 Debug, 1 Warning, 2 Error, 3 Trace, 4 Info, 5 Fatal). */
    private static int level(String priority) {
        return switch (priority) {
            case "V" -> LogFields.LEVEL_TRACE;
            case "D" -> LogFields.LEVEL_DEBUG;
            case "W" -> LogFields.LEVEL_WARNING;
            case "E" -> LogFields.LEVEL_ERROR;
            case "F", "A" -> LogFields.LEVEL_FATAL;
            default -> LogFields.LEVEL_INFO;
        };
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(RealDeviceLogsTest.class.getResourceAsStream("/loghub/" + name), name);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isEmpty()).toList();
        }
    }
}
