package io.fendersec.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.error.ConfigException;

/**
 * Links from the report to the Bugfender dashboard, built from one URL template
 * ({@code report.dashboard-url} in the job spec, {@code --dashboard-url} for {@code fendersec report}).
 * The template holds the placeholders {@code {app}}, {@code {device}} and {@code {log}} (the app id,
 * the device udid, the log uuid); each value is percent-encoded (every byte but RFC 3986's
 * unreserved characters), so device-written values cannot leave their place in the URL. The
 * device link fills {@code {log}} with nothing. Bugfender documents no URL shape for its
 * dashboard, hence a template rather than a guess.
 *
 * <p>Only absolute {@code http}/{@code https} templates with a host are accepted: the links end up
 * in an HTML page, where a {@code javascript:} URL would run.
 */
public final class DashboardLinks {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final String template;

    private DashboardLinks(String template) {
        this.template = template;
    }

    /**
     * The template, checked; {@code key} names where it was written (e.g. {@code report.dashboard-url})
     * in the error.
     */
    public static DashboardLinks parse(String template, String key) {
        String problem = problem(template);
        if (problem != null) {
            throw new ConfigException(key + ": " + problem);
        }
        return new DashboardLinks(template.strip());
    }

    /** What is wrong with {@code template}, or null when it is a usable http(s) link template. */
    public static String problem(String template) {
        String t = template == null ? "" : template.strip();
        String expected = "expected an http(s) URL template such as "
                + "https://dashboard.bugfender.com/app/{app}/device/{device}?log={log} "
                + "(placeholders {app}, {device}, {log})";
        Matcher m = PLACEHOLDER.matcher(t);
        while (m.find()) {
            String name = m.group(1);
            if (!name.equals("app") && !name.equals("device") && !name.equals("log")) {
                return "unknown placeholder {" + shorten(name) + "}; " + expected;
            }
        }
        String sample = fill(t, "a", "d", "l");
        URI uri;
        try {
            uri = new URI(sample);
        } catch (URISyntaxException e) {
            return "not a URL (" + shorten(e.getReason()) + "); " + expected;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs are accepted" + (scheme.isEmpty() ? "" : ", not '" + shorten(scheme) + ":'")
                    + "; " + expected;
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "needs a host and no user:password@; " + expected;
        }
        return null;
    }

    /** The template as written (checked). */
    public String template() {
        return template;
    }

    /** The device's page; null when a value is a dot segment (see {@link #dotSegment}). */
    public String device(String app, String device) {
        return dotSegment(app) || dotSegment(device) ? null : fill(template, app, device, "");
    }

    /** The log's page; null when a value is a dot segment (see {@link #dotSegment}). */
    public String log(String app, String device, String log) {
        return dotSegment(app) || dotSegment(device) || dotSegment(log) ? null : fill(template, app, device, log);
    }

    /**
     * {@code .} or {@code ..}: as a path segment the browser resolves it (to this page or the
     * parent), and percent-encoding cannot stop it: WHATWG URLs read {@code %2e} as a dot there too.
     * A device may call itself that, so such a value gets no link rather than a link elsewhere.
     */
    private static boolean dotSegment(String v) {
        return ".".equals(v) || "..".equals(v);
    }

    private static String fill(String t, String app, String device, String log) {
        return t.replace("{app}", encode(app)).replace("{device}", encode(device)).replace("{log}", encode(log));
    }

    /** Percent-encodes every byte of the UTF-8 form but A-Z a-z 0-9 - . _ ~. */
    static String encode(String v) {
        if (v == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(v.length());
        for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static String shorten(String s) {
        String one = s.replaceAll("[^\\x20-\\x7e]", "?");
        return one.length() > 40 ? one.substring(0, 40) + "..." : one;
    }
}
