package io.fendersec.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fendersec.model.Alert;
import io.fendersec.model.AlertJson;

/** Webhook bodies. Every body carries {@code alert_id} so that receivers can deduplicate. */
final class WebhookPayloads {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookPayloads() {}

    static byte[] body(Alert a, WebhookSettings.Format format) {
        return (format == WebhookSettings.Format.SLACK ? slack(a) : AlertJson.toJson(a)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A batch ({@code batch-size} above 1): JSON, {@code {"alerts": [alert, ...]}}; Slack, one
     * message whose text is the alerts' texts one after the other, with their ids in {@code alert_ids}.
     */
    static byte[] batch(List<Alert> alerts, WebhookSettings.Format format) {
        ObjectNode n = MAPPER.createObjectNode();
        if (format == WebhookSettings.Format.SLACK) {
            n.put("text", alerts.stream().map(WebhookPayloads::slackText).collect(Collectors.joining("\n\n")));
            ArrayNode ids = n.putArray("alert_ids");
            alerts.forEach(a -> ids.add(a.alertId()));
        } else {
            ArrayNode list = n.putArray("alerts");
            alerts.forEach(a -> list.add(AlertJson.toNode(a)));
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Slack's incoming-webhook form: {@code text} is what a channel shows (Slack mrkdwn); Slack
     * ignores other top-level fields, so {@code alert_id} rides along for other consumers.
     */
    static String slack(Alert a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("text", slackText(a));
        n.put("alert_id", a.alertId());
        return n.toString();
    }

    private static String slackText(Alert a) {
        String group = a.group().isEmpty() ? "-" : a.group().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String text = ":rotating_light: *" + escape(a.title()) + "* (" + escape(a.ruleId()) + ")\n"
                + "severity: *" + escape(a.severity()) + "*   app: " + escape(a.app() == null ? "-" : a.app())
                + "   count: " + a.count() + "\n"
                + "group: " + escape(group) + "\n"
                + "window: " + a.windowStart() + " .. " + a.windowEnd() + "\n"
                + "alert_id: `" + a.alertId() + "`";
        return text;
    }

    // Slack's three control characters in message text.
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
