package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One page in headless Chromium driven over the DevTools protocol (a WebSocket, JDK client), for
 * what {@code --dump-dom} cannot do: a real mouse click (Input.dispatchMouseEvent at the element's
 * place, so the page's own click handler runs as for a user), then the DOM and a screenshot.
 * Every wait is on an answer or event from the browser (with a deadline), never a sleep.
 */
final class ChromiumPage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_S = 60;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private String session;

    private ChromiumPage(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser ({@code binary}) with a fresh profile and a page of {@code width} x {@code height} at {@code url}. */
    static ChromiumPage open(Path binary, List<String> flags, String url, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("fendersec-cdp-");
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(flags);
        cmd.add("--user-data-dir=" + profile);
        cmd.add("--remote-debugging-port=0");
        cmd.add("--window-size=" + width + "," + height);
        cmd.add("about:blank");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // The browser announces its endpoint on stderr: reading up to that line is the synchronization.
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> endpoint = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = err.readLine()) != null) {
                    int at = line.indexOf("DevTools listening on ");
                    if (at >= 0) {
                        String ws = line.substring(at + "DevTools listening on ".length()).trim();
                        Thread drain = new Thread(() -> {
                            try {
                                while (err.readLine() != null) {
                                    // keep the pipe flowing
                                }
                            } catch (IOException e) {
                                // the browser is gone
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return ws;
                    }
                }
                throw new IllegalStateException("chromium ended without a DevTools endpoint");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String ws = endpoint.get(TIMEOUT_S, TimeUnit.SECONDS);
        ChromiumPage[] self = new ChromiumPage[1];
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(ws), new WebSocket.Listener() {
                    private final StringBuilder part = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        part.append(data);
                        if (last) {
                            String msg = part.toString();
                            part.setLength(0);
                            self[0].received(msg);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(TIMEOUT_S, TimeUnit.SECONDS);
        ChromiumPage page = new ChromiumPage(p, profile, socket);
        self[0] = page;
        JsonNode target = page.call("Target.createTarget", Map.of("url", "about:blank"));
        JsonNode attached = page.call("Target.attachToTarget",
                Map.of("targetId", target.get("targetId").asText(), "flatten", true));
        page.session = attached.get("sessionId").asText();
        page.call("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        page.call("Page.enable", Map.of());
        page.call("Page.navigate", Map.of("url", url));
        page.awaitEvent("Page.loadEventFired");
        return page;
    }

    private void received(String msg) {
        try {
            JsonNode n = JSON.readTree(msg);
            if (n.has("id")) {
                CompletableFuture<JsonNode> f = answers.remove(n.get("id").asInt());
                if (f != null) {
                    f.complete(n);
                }
            } else {
                events.add(n);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a command (to the page once attached) and returns its result; an error answer fails. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id);
        m.put("method", method);
        m.set("params", JSON.valueToTree(params));
        if (session != null) {
            m.put("sessionId", session);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        answers.put(id, f);
        socket.sendText(JSON.writeValueAsString(m), true).get(TIMEOUT_S, TimeUnit.SECONDS);
        JsonNode answer = f.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(answer.has("error")).as("%s: %s", method, answer.get("error")).isFalse();
        return answer.get("result");
    }

    private void awaitEvent(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            JsonNode e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("event %s within %d s", method, TIMEOUT_S).isNotNull();
            if (method.equals(e.path("method").asText())) {
                return;
            }
        }
    }

    /** The value of a JavaScript expression (JSON-serializable). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        assertThat(r.has("exceptionDetails")).as("%s: %s", expression, r.get("exceptionDetails")).isFalse();
        return r.get("result").get("value");
    }

    /** A left click with the mouse in the middle of the first element matching {@code selector}, scrolled into view. */
    void click(String selector) throws Exception {
        String sel = JSON.writeValueAsString(selector);
        JsonNode xy = eval("(() => { const e = document.querySelector(" + sel + "); e.scrollIntoView({block: 'center'});"
                + " const r = e.getBoundingClientRect(); return [r.x + Math.min(r.width / 2, 40), r.y + r.height / 2]; })()");
        double x = xy.get(0).asDouble();
        double y = xy.get(1).asDouble();
        call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        call("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
        call("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
    }

    String dom() throws Exception {
        return eval("document.documentElement.outerHTML").asText();
    }

    void screenshot(Path png) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
        Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    @Override
    public void close() throws Exception {
        try {
            session = null;
            call("Browser.close", Map.of());
        } catch (Exception | AssertionError e) {
            process.destroy();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        HeadlessChromium.deleteTreeQuietly(profile);
    }
}
