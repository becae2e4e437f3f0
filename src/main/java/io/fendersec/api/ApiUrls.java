package io.fendersec.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.fendersec.error.ConfigException;

import org.apache.hc.core5.net.URIBuilder;

/**
 * The URLs of the endpoints used, built from the base URL, and the check that a cursor URL taken
 * from an answer (or from a checkpoint) stays on the configured origin: the bearer token is only
 * ever sent to {@code source.url}.
 */
final class ApiUrls {
    private final URI base;

    ApiUrls(URI base) {
        this.base = base;
    }

    URI token() {
        return URI.create(base + "/auth/token");
    }

    URI apps() {
        return URI.create(base + "/api/app/");
    }

    URI paginated(LogQuery q) {
        URIBuilder b = logs(q, "paginated");
        b.addParameter("page_size", Integer.toString(q.pageSize()));
        return build(b);
    }

    URI download(LogQuery q) {
        URIBuilder b = logs(q, "download");
        b.addParameter("format", "ndjson");
        return build(b);
    }

    URI count(LogQuery q) {
        return build(logs(q, "count"));
    }

    private URIBuilder logs(LogQuery q, String endpoint) {
        URIBuilder b = new URIBuilder(base);
        b.appendPathSegments("api", "app", q.appId(), "logs", endpoint);
        b.addParameter("date_range_start", q.from().toString());
        if (q.to() != null) {
            b.addParameter("date_range_end", q.to().toString());
        }
        if (q.text() != null) {
            b.addParameter("text", q.text());
        }
        if (q.deviceUdid() != null) {
            b.addParameter("device_udid", q.deviceUdid());
        }
        if (q.level() != null) {
            b.addParameter("level", Integer.toString(q.level()));
        }
        return b;
    }

    private static URI build(URIBuilder b) {
        try {
            return b.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Parses a cursor URL and checks that it has the base URL's scheme, host and port and lies
     * under its {@code /api/} path. Anything else is refused before a request is made.
     */
    URI cursor(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!sameOrigin(u) || u.getRawPath() == null || !u.getRawPath().startsWith(basePath() + "/api/")) {
            throw new ConfigException("source.url: refusing to follow the cursor URL " + url
                    + " because it is not under " + base + "/api/ (the access token is only sent to source.url);"
                    + " if the server is reached under another name, set source.url to the origin its cursors use");
        }
        return u;
    }

    boolean sameOrigin(URI u) {
        return u.getScheme() != null && u.getHost() != null
                && u.getScheme().equalsIgnoreCase(base.getScheme())
                && u.getHost().toLowerCase(Locale.ROOT).equals(base.getHost().toLowerCase(Locale.ROOT))
                && port(u) == port(base)
                && u.getRawUserInfo() == null;
    }

    private String basePath() {
        String p = base.getRawPath();
        return p == null ? "" : p;
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
