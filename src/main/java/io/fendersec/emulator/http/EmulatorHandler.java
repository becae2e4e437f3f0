package io.fendersec.emulator.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;

import io.fendersec.emulator.Faults;
import io.fendersec.emulator.auth.AuthorizationServer;
import io.fendersec.emulator.auth.OAuthError;
import io.fendersec.emulator.auth.TokenStore;
import io.fendersec.emulator.auth.TokenStore.AccessToken;
import io.fendersec.emulator.store.Cursor;
import io.fendersec.emulator.store.LogStore;
import io.fendersec.emulator.store.ServedPage;
import io.fendersec.emulator.store.StoredLog;

/**
 * The emulator's HTTP surface: {@code /auth/token}, {@code /auth/authorize} and {@code /api/...},
 * with faults injected in front. Every answer, refusals included, is JSON without stack traces.
 */
public final class EmulatorHandler extends Handler.Abstract {
    private static final Logger LOG = LogManager.getLogger(EmulatorHandler.class);

    private final String publicUrl;
    private final LogStore store;
    private final AuthorizationServer auth;
    private final TokenStore tokens;
    private final FaultInjector faults;
    private final Duration baseTokenTtl;

    public EmulatorHandler(String publicUrl, LogStore store, AuthorizationServer auth, TokenStore tokens,
            java.time.Clock clock) {
        this.publicUrl = publicUrl;
        this.store = store;
        this.auth = auth;
        this.tokens = tokens;
        this.faults = new FaultInjector(clock);
        this.baseTokenTtl = tokens.accessTokenTtl();
    }

    /** Switches faults; takes effect from the next request. */
    public void setFaults(Faults f) {
        faults.set(f);
        tokens.setAccessTokenTtl(f.tokenTtl() != null ? f.tokenTtl() : baseTokenTtl);
    }

    public Faults faults() {
        return faults.faults();
    }

    /** An error handler that answers Jetty's own errors in the same JSON shape. */
    public static org.eclipse.jetty.server.handler.ErrorHandler errorHandler() {
        return new JsonErrorHandler();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Exchange x = new Exchange(request, response, callback);
        String path = request.getHttpURI().getPath();
        if (path == null) {
            path = "/";
        }
        try {
            Duration latency = faults.latency(path);
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            FaultInjector.Decision d = faults.decide(path);
            switch (d.outcome) {
                case RATE_LIMITED:
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(d.retryAfterSeconds));
                    x.error(429, "rate_limited", "request rate over budget; retry after " + d.retryAfterSeconds + " s");
                    return true;
                case RESET:
                    x.abort(true);
                    return true;
                case SERVER_ERROR:
                    x.error(503, "server_error", "temporarily unavailable (injected fault)");
                    return true;
                case TRUNCATE:
                    x.truncate = true;
                    break;
                case TRICKLE:
                    x.trickle = faults.faults().trickleInterval();
                    break;
                default:
                    break;
            }
            route(x, path);
        } catch (BadParameter e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "invalid_request");
            body.put("error_description", e.getMessage());
            body.put("parameter", e.parameter());
            x.json(400, Json.write(body));
        } catch (OAuthError e) {
            if (e.status() == 401 && path.startsWith("/api/")) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"" + e.error() + "\"");
            }
            x.error(e.status(), e.error(), e.description());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.abort(false);
        } catch (Exception e) {
            LOG.warn("request {} failed", path, e);
            if (response.isCommitted()) {
                x.abort(false);
            } else {
                x.error(500, "server_error", "internal error");
            }
        }
        return true;
    }

    private void route(Exchange x, String path) throws IOException {
        List<String> seg = segments(path);
        String method = x.request.getMethod();
        if (seg.size() == 2 && seg.get(0).equals("auth") && seg.get(1).equals("token")) {
            requireMethod(method, "POST");
            token(x);
        } else if (seg.size() == 2 && seg.get(0).equals("auth") && seg.get(1).equals("authorize")) {
            requireMethod(method, "GET");
            authorize(x);
        } else if (seg.size() >= 2 && seg.get(0).equals("api") && seg.get(1).equals("app")) {
            requireMethod(method, "GET");
            api(x, seg.subList(2, seg.size()));
        } else {
            x.error(404, "not_found", "no such endpoint: " + path);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new OAuthError(405, "invalid_request", "method " + method + " not allowed here; use " + expected);
        }
    }

    // ---- auth -------------------------------------------------------------------------------

    private void token(Exchange x) throws IOException {
        String contentType = x.header(HttpHeader.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("Content-Type must be application/x-www-form-urlencoded");
        }
        Fields fields;
        try {
            fields = FormFields.getFields(x.request);
        } catch (RuntimeException e) {
            throw OAuthError.invalidRequest("the form body is malformed");
        }
        Map<String, String> form = singleValues(fields);
        Map<String, Object> answer = auth.token(form, x.peer(), x.header(HttpHeader.AUTHORIZATION));
        x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        x.json(200, Json.write(answer));
    }

    private void authorize(Exchange x) throws IOException {
        Map<String, String> query = singleValues(Request.extractQueryParameters(x.request));
        AuthorizationServer.AuthorizeOutcome outcome = auth.authorize(query);
        Optional<String> redirect = outcome.redirect();
        if (redirect.isPresent()) {
            x.response.getHeaders().put(HttpHeader.LOCATION, redirect.get());
            x.send(302, "text/plain; charset=utf-8", ("redirecting to " + redirect.get()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        String page = "<!doctype html><html><head><title>Authorization code</title></head><body>"
                + "<p>Copy this code into the application:</p><p><code id=\"code\">" + outcome.code()
                + "</code></p></body></html>";
        x.send(200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> singleValues(Fields fields) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            if (f.getValues().size() > 1) {
                throw OAuthError.invalidRequest(f.getName() + " is given more than once");
            }
            m.put(f.getName(), f.getValue());
        }
        return m;
    }

    // ---- api --------------------------------------------------------------------------------

    private void api(Exchange x, List<String> rest) throws IOException {
        authenticate(x);
        if (rest.isEmpty()) {
            List<Map<String, Object>> apps = new ArrayList<>();
            for (LogStore.App a : store.apps()) {
                apps.add(appJson(a));
            }
            x.json(200, Json.write(apps));
            return;
        }
        String appId = rest.get(0);
        LogStore.App app = store.app(appId)
                .orElseThrow(() -> new OAuthError(404, "not_found", "no app " + appId));
        List<String> sub = rest.subList(1, rest.size());
        if (sub.isEmpty()) {
            x.json(200, Json.write(appJson(app)));
        } else if (sub.size() == 2 && sub.get(0).equals("logs") && sub.get(1).equals("paginated")) {
            paginated(x, app);
        } else if (sub.size() == 2 && sub.get(0).equals("logs") && sub.get(1).equals("download")) {
            download(x, app);
        } else if (sub.size() == 2 && sub.get(0).equals("logs") && sub.get(1).equals("count")) {
            LogParams p = LogParams.parse(query(x), false);
            x.json(200, Json.write(Map.of("count", store.count(app.logs(), p.query))));
        } else if (sub.size() == 1 && sub.get(0).equals("devices")) {
            devices(x, app);
        } else {
            x.error(404, "not_found", "no such endpoint under app " + appId);
        }
    }

    /** 401 for a missing, unknown or expired token; 403 when the token's client is refused this address. */
    private void authenticate(Exchange x) {
        String h = x.header(HttpHeader.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OAuthError(401, "invalid_token", "an Authorization: Bearer token is required");
        }
        AccessToken t = tokens.validAccessToken(h.substring(7).trim())
                .orElseThrow(() -> new OAuthError(401, "invalid_token", "the access token is unknown or expired"));
        if (!t.client().allowlist().allows(x.peer())) {
            throw OAuthError.addressRefused(403, x.peer().getHostAddress());
        }
    }

    private static Map<String, Object> appJson(LogStore.App a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        return m;
    }

    private static Fields query(Exchange x) {
        try {
            return Request.extractQueryParameters(x.request);
        } catch (RuntimeException e) {
            throw OAuthError.invalidRequest("the query string is malformed");
        }
    }

    private void paginated(Exchange x, LogStore.App app) throws IOException {
        LogParams p = LogParams.parse(query(x), true);
        ServedPage page;
        try {
            page = store.page(app.logs(), p.query, p.pageSize, p.cursor);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("cursor", e.getMessage());
        }
        String base = publicUrl + "/api/app/" + LogParams.encode(app.id()) + "/logs/paginated?";
        List<StoredLog> data = page.data();
        int estimate = 128 + data.size() * (data.isEmpty() ? 0 : data.get(0).json().length + 1) + 1024;
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimate);
        Json.raw(out, "{\"data\":[");
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] json = data.get(i).json();
            out.write(json, 0, json.length);
        }
        Json.raw(out, "],\"next\":");
        Json.string(out, link(base, p, page.next()));
        Json.raw(out, ",\"previous\":");
        Json.string(out, link(base, p, page.previous()));
        Json.raw(out, ",\"last\":");
        Json.string(out, link(base, p, page.last()));
        Json.raw(out, ",\"query_id\":");
        Json.string(out, page.queryId());
        out.write('}');
        x.json(200, out.toByteArray());
    }

    private static String link(String base, LogParams p, Cursor c) {
        return c == null ? null : base + p.withCursor(c);
    }

    private void download(Exchange x, LogStore.App app) throws IOException {
        Fields q = query(x);
        Fields.Field format = q.get("format");
        if (format != null && !"ndjson".equals(format.getValue())) {
            throw new BadParameter("format", "format must be ndjson");
        }
        LogParams p = LogParams.parse(q, false);
        List<StoredLog> logs = store.snapshotAscending(app.logs(), p.query);
        Response response = x.response;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
        // Streamed: a large range never sits in memory as one body.
        int stopAt = x.truncate ? logs.size() / 2 : logs.size();
        OutputStream out = Content.Sink.asOutputStream(response);
        byte[] buffer = new byte[64 * 1024];
        int fill = 0;
        for (int i = 0; i < stopAt; i++) {
            byte[] json = logs.get(i).json();
            if (fill + json.length + 1 > buffer.length) {
                out.write(buffer, 0, fill);
                fill = 0;
            }
            if (json.length + 1 > buffer.length) {
                out.write(json);
                out.write('\n');
            } else {
                System.arraycopy(json, 0, buffer, fill, json.length);
                fill += json.length;
                buffer[fill++] = '\n';
            }
        }
        out.write(buffer, 0, fill);
        if (x.truncate) {
            out.flush();
            x.abort(false);
            return;
        }
        out.close();
        x.callback.succeeded();
    }

    private void devices(Exchange x, LogStore.App app) throws IOException {
        Fields q = query(x);
        int pageSize = 100;
        Fields.Field ps = q.get("page_size");
        if (ps != null) {
            try {
                pageSize = Integer.parseInt(ps.getValue());
            } catch (NumberFormatException e) {
                pageSize = -1;
            }
            if (pageSize < 1 || pageSize > LogParams.MAX_PAGE_SIZE) {
                throw new BadParameter("page_size", "page_size must be between 1 and " + LogParams.MAX_PAGE_SIZE);
            }
        }
        int from = 0;
        Fields.Field nc = q.get("next_cursor");
        if (nc != null && !nc.getValue().isEmpty()) {
            try {
                from = Integer.parseInt(nc.getValue());
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0) {
                throw new BadParameter("next_cursor", "next_cursor is not a cursor this server issued");
            }
        }
        List<Map<String, Object>> all = app.logs().devices();
        int to = (int) Math.min(all.size(), (long) from + pageSize); // a cursor near Integer.MAX_VALUE must not wrap
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", from >= all.size() ? List.of() : all.subList(from, to));
        body.put("next_cursor", to < all.size() ? Integer.toString(to) : null);
        x.json(200, Json.write(body));
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URIUtil.decodePath(s));
            }
        }
        return out;
    }
}
