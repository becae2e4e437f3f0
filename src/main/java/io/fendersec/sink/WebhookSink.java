package io.fendersec.sink;

import java.io.IOException;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import io.fendersec.model.Alert;

/**
 * Alerts as signed HTTP POSTs, one alert or one batch each (see {@link WebhookWriter}). At least once: an alert
 * is delivered before the checkpoint after it completes, and after a restore the alerts since
 * the last checkpoint are sent again; receivers deduplicate by {@code alert_id} (also the
 * {@code Idempotency-Key} header).
 */
public final class WebhookSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;

    private final WebhookSettings settings;

    public WebhookSink(WebhookSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
        return new WebhookWriter(settings, context.getProcessingTimeService(),
                context.getTaskInfo().getIndexOfThisSubtask(), context.metricGroup().counter("deadLetters"));
    }
}
