package io.fendersec.sink;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
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
     * Slack's incoming-webhook form: {@code text} is what a channel shows (Slack mrkdwn); Slack
     * ignores other top-level fields, so {@code alert_id} rides along for other consumers.
     */
    static String slack(Alert a) {
        String group = a.group().isEmpty() ? "-" : a.group().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String text = ":rotating_light: *" + escape(a.title()) + "* (" + escape(a.ruleId()) + ")\n"
                + "severity: *" + escape(a.severity()) + "*   app: " + escape(a.app() == null ? "-" : a.app())
                + "   count: " + a.count() + "\n"
                + "group: " + escape(group) + "\n"
                + "window: " + a.windowStart() + " .. " + a.windowEnd() + "\n"
                + "alert_id: `" + a.alertId() + "`";
        ObjectNode n = MAPPER.createObjectNode();
        n.put("text", text);
        n.put("alert_id", a.alertId());
        return n.toString();
    }

    // Slack's three control characters in message text.
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
