package io.fendersec.sink;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.model.Alert;

/**
 * In front of the file sink: lets through the alerts its encoder can write, as one line of valid
 * UTF-8 in the sink's format, and sends any other to the {@link DeadLetters dead-letter file} with a
 * one-line WARN and the {@code deadLetters} counter. Flink's file sink has no way to skip a record
 * its encoder fails on: the failure is the job's, after each restart again, and every other alert
 * after it is lost with it. A text no UTF-8 encoder can write (a lone surrogate that escaped
 * {@link SinkSafeAlerts}) would otherwise be written as {@code ?}, silently; here it is refused.
 * A file that cannot be written at all (a full disk, no permission) is the sink failing, not an
 * alert: that still fails the job.
 */
public final class WritableAlerts extends RichFlatMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WritableAlerts.class);

    private final AlertFormat format;
    private final String deadLetterDir;
    private final String sinkName;
    private transient Path deadLetterFile;
    private transient Counter deadLetters;
    private transient CharsetEncoder utf8;

    /** {@code sinkName}: names the dead-letter file, {@code <sinkName>-<subtask>.jsonl}. */
    public WritableAlerts(AlertFormat format, String deadLetterDir, String sinkName) {
        this.format = format;
        this.deadLetterDir = deadLetterDir;
        this.sinkName = sinkName;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetterFile = new DeadLetters(deadLetterDir).file(sinkName,
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void flatMap(Alert alert, Collector<Alert> out) throws IOException {
        String reason = refusal(alert);
        if (reason == null) {
            out.collect(alert);
            return;
        }
        DeadLetters.write(deadLetterFile, alert, reason);
        deadLetters.inc();
        LOG.warn("The file sink cannot write alert {} of rule {} ({}); written to {}", alert.alertId(), alert.ruleId(),
                reason, deadLetterFile);
    }

    /** Null when the sink's encoder can write {@code alert}; else why not. */
    String refusal(Alert alert) {
        String line;
        try {
            line = format.render(alert);
        } catch (RuntimeException e) {
            return "not writable as " + format.specName() + ": " + e.getClass().getSimpleName();
        }
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        try {
            utf8.reset().encode(CharBuffer.wrap(line));
            return null;
        } catch (CharacterCodingException e) {
            return "not writable as UTF-8 (a lone surrogate)";
        }
    }
}
