package io.fendersec.emulator.generate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import io.fendersec.model.LogFields;
import io.fendersec.model.LogRecord;

/**
 * Ordinary app traffic, session by session: start-up, a login (now and then after one typo),
 * screens, network calls with URLs and statuses, key-values, debug noise, the occasional error,
 * and the app going to the background. Everything comes from the given random generator, so
 * the same seed gives the same logs.
 */
public final class BenignTraffic {
    /**
     * Device time as the API shows it: UTC, milliseconds, always the same width. Written by hand
     * because it runs once per generated log and DateTimeFormatter dominated generation time.
     */
    static String formatTime(long epochMillis) {
        long sec = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(sec, 86_400L));
        int secOfDay = (int) Math.floorMod(sec, 86_400L);
        StringBuilder b = new StringBuilder(24);
        pad(b, date.getYear(), 4).append('-');
        pad(b, date.getMonthValue(), 2).append('-');
        pad(b, date.getDayOfMonth(), 2).append('T');
        pad(b, secOfDay / 3600, 2).append(':');
        pad(b, secOfDay / 60 % 60, 2).append(':');
        pad(b, secOfDay % 60, 2).append('.');
        return pad(b, millis, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    private static final String[] IOS_MODELS = {"iPhone14,2", "iPhone15,3", "iPhone16,1", "iPad13,4", "iPhone13,1"};
    private static final String[] ANDROID_MODELS = {"Pixel 8", "SM-S918B", "SM-A546B", "moto g84", "CPH2581"};
    private static final String[] WEB_MODELS = {"Chrome 131", "Firefox 133", "Safari 18", "Edge 131"};
    private static final String[] IOS_VERSIONS = {"17.6.1", "18.1", "18.1.1", "16.7.10"};
    private static final String[] ANDROID_VERSIONS = {"13", "14", "15"};
    private static final String[] WEB_VERSIONS = {"Windows 11", "macOS 15.1", "Linux", "ChromeOS 130"};
    private static final String[] LANGUAGES = {"en-US", "en-GB", "es-ES", "de-DE", "fr-FR", "pt-BR", "ja-JP", "it-IT"};
    private static final String[] TIMEZONES = {"America/New_York", "Europe/Madrid", "Europe/Berlin", "Europe/London",
        "America/Sao_Paulo", "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney"};
    private static final String[] FIRST_NAMES = {"Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo",
        "Ines", "Jon", "Kenji", "Lucia", "Marta", "Nils", "Olga", "Pablo"};
    private static final String[] APP_VERSIONS = {"4.2.0", "4.3.0", "4.3.1", "4.4.0"};
    private static final String[] SCREENS = {"HomeScreen", "ProductList", "ProductDetail", "Cart", "Checkout",
        "Settings", "Profile", "Search", "Orders", "Notifications"};
    private static final String[] ENDPOINTS = {"/v2/products", "/v2/products/{id}", "/v2/cart", "/v2/orders",
        "/v2/search?q=shoes", "/v2/profile", "/v2/recommendations", "/v2/notifications"};
    private static final String[] KEYS = {"cart_items", "theme", "push_enabled", "last_screen", "ab_bucket", "order_ref"};
    private static final String[] DEBUG = {"Cache hit for ", "Prefetching images for ", "Layout pass took 12 ms for ",
        "Analytics event queued: "};
    private static final String[] ERRORS = {
        "Failed to decode response: unexpected end of input from ",
        "Timeout after 30000 ms waiting for ",
        "Image download failed, connection lost: ",
        "Could not save draft, disk full: "};

    /** Share of devices that are a second device of an earlier device's user. */
    private static final double SECOND_DEVICE_SHARE = 0.04;

    private final GeneratedApp app;
    private final String apiHost;

    public BenignTraffic(GeneratedApp app) {
        this.app = app;
        this.apiHost = "https://api." + app.name().toLowerCase().replaceAll("[^a-z0-9]+", "-") + ".example.com";
    }

    /**
     * Devices for the app, each with its own model, OS, language, timezone, app version and user.
     * User names are unique per device, except that a few users own a second device (a new phone,
     * a tablet) in the same timezone: the normal device change that must not look like account
     * takeover or impossible travel.
     */
    public List<Device> devices(SplittableRandom r, int count) {
        List<Device> out = new ArrayList<>(count);
        Set<String> users = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (i > 0 && r.nextDouble() < SECOND_DEVICE_SHARE) {
                Device owner = out.get(r.nextInt(out.size()));
                out.add(device(r, owner.user, owner.timezone));
                continue;
            }
            String user;
            do {
                user = pick(r, FIRST_NAMES).toLowerCase() + (1000 + r.nextInt(9000)) + "@example.com";
            } while (!users.add(user));
            out.add(device(r, user, pick(r, TIMEZONES)));
        }
        return out;
    }

    /** One more device of this app for {@code user} in {@code timezone}; model, OS and version drawn from {@code r}. */
    public Device device(SplittableRandom r, String user, String timezone) {
        return device(r, user, timezone, r.nextInt(APP_VERSIONS.length));
    }

    /** A device running app version {@code version} (build {@code build}), e.g. a new release. */
    public Device device(SplittableRandom r, String user, String timezone, String version, String build) {
        Device d = device(r, user, timezone, 0);
        return new Device(d.udid, d.name, d.model, d.osVersion, d.language, d.timezone, version, build, d.user,
                1_000_000L + r.nextInt(1_000_000));
    }

    private Device device(SplittableRandom r, String user, String timezone, int v) {
        String udid = uuid(r).toString();
        String model;
        String os;
        switch (app.platform()) {
            case "android":
                model = pick(r, ANDROID_MODELS);
                os = pick(r, ANDROID_VERSIONS);
                break;
            case "web":
                model = pick(r, WEB_MODELS);
                os = pick(r, WEB_VERSIONS);
                break;
            default:
                model = pick(r, IOS_MODELS);
                os = pick(r, IOS_VERSIONS);
        }
        String first = Character.toUpperCase(user.charAt(0)) + user.substring(1).replaceAll("[^a-z].*$", "");
        return new Device(udid, first + "'s " + model, model, os, pick(r, LANGUAGES), timezone, APP_VERSIONS[v],
                Integer.toString(400 + v * 7 + r.nextInt(3)), user, 1_000_000L + r.nextInt(1_000_000));
    }

    /** The timezones devices use. */
    public static List<String> timezones() {
        return List.of(TIMEZONES);
    }

    /** The app's API base URL, e.g. {@code https://api.shop-ios.example.com}. */
    public String apiHost() {
        return apiHost;
    }

    /**
     * One session of {@code device} starting at {@code start}: at most {@code maxLogs} logs, none at
     * or after {@code limit}.
     */
    public List<LogRecord> session(SplittableRandom r, Device d, Instant start, Instant limit, int maxLogs) {
        Session s = new Session(r, d, start.toEpochMilli(), limit.toEpochMilli(), maxLogs);
        s.log(LogFields.LEVEL_INFO, "lifecycle", "AppDelegate", "application(_:didFinishLaunching:)", 42,
                "App started, version " + d.appVersion + " (" + d.build + ")", null);
        if (r.nextDouble() < 0.4) {
            if (r.nextDouble() < 0.05) {
                // The single typo: one failure, then success for the same user.
                s.log(LogFields.LEVEL_WARNING, "auth", "LoginViewModel", "submit()", 88,
                        "Login failed for " + d.user + ": invalid password", null);
            }
            s.log(LogFields.LEVEL_INFO, "auth", "LoginViewModel", "submit()", 97, "Login succeeded for " + d.user, null);
        }
        int steps = 3 + r.nextInt(25);
        String screen = pick(r, SCREENS);
        for (int i = 0; i < steps && !s.full(); i++) {
            double x = r.nextDouble();
            if (x < 0.25) {
                screen = pick(r, SCREENS);
                s.log(LogFields.LEVEL_INFO, "navigation", "Router", "show(_:)", 31, "Screen shown: " + screen, null);
            } else if (x < 0.6) {
                network(r, s);
            } else if (x < 0.7) {
                String key = pick(r, KEYS);
                s.keyValue(key, keyValue(r, key));
            } else if (x < 0.97) {
                s.log(r.nextDouble() < 0.5 ? LogFields.LEVEL_DEBUG : LogFields.LEVEL_TRACE, "debug", screen, "render()", 120,
                        pick(r, DEBUG) + screen, null);
            } else {
                s.log(LogFields.LEVEL_ERROR, "error", screen, "load()", 210, pick(r, ERRORS) + apiHost, null);
            }
        }
        s.log(LogFields.LEVEL_INFO, "lifecycle", "AppDelegate", "applicationDidEnterBackground(_:)", 57,
                "App entered background", null);
        return s.logs;
    }

    private void network(SplittableRandom r, Session s) {
        String path = pick(r, ENDPOINTS).replace("{id}", Integer.toString(1 + r.nextInt(5000)));
        String method = path.startsWith("/v2/cart") || path.startsWith("/v2/orders") && r.nextBoolean() ? "POST" : "GET";
        double x = r.nextDouble();
        int status = x < 0.88 ? 200 : x < 0.93 ? 304 : x < 0.97 ? 404 : x < 0.99 ? 401 : 503;
        int level = status >= 500 ? LogFields.LEVEL_ERROR : status >= 400 ? LogFields.LEVEL_WARNING : LogFields.LEVEL_INFO;
        String url = apiHost + path;
        s.log(level, "network", "HttpClient", "send(_:)", 64,
                method + " " + url + " -> " + status + " (" + (20 + r.nextInt(900)) + " ms)", url);
    }

    private static String keyValue(SplittableRandom r, String key) {
        switch (key) {
            case "cart_items":
                return Integer.toString(r.nextInt(8));
            case "theme":
                return r.nextBoolean() ? "dark" : "light";
            case "push_enabled":
                return Boolean.toString(r.nextBoolean());
            case "ab_bucket":
                return r.nextBoolean() ? "A" : "B";
            case "order_ref":
                // 16 digits like a card number but failing the Luhn check: what a card rule must not flag.
                return CardNumbers.luhnInvalid(r, pick(r, new String[] {"4", "5", "3"}), 16);
            default:
                return pick(r, SCREENS);
        }
    }

    /** Builds the logs of one session, advancing device time and absolute_time together. */
    private final class Session {
        final SplittableRandom r;
        final Device d;
        final long limit;
        final int maxLogs;
        final long threadId;
        long now;
        final List<LogRecord> logs = new ArrayList<>();

        Session(SplittableRandom r, Device d, long start, long limit, int maxLogs) {
            this.r = r;
            this.d = d;
            this.now = start;
            this.limit = limit;
            this.maxLogs = maxLogs;
            this.threadId = 1 + r.nextInt(64);
        }

        boolean full() {
            return logs.size() >= maxLogs || now >= limit;
        }

        void log(int level, String tag, String file, String method, int line, String text, String url) {
            add(level, tag, file, method, line, text, url, null, null);
        }

        void keyValue(String key, String value) {
            add(LogFields.LEVEL_INFO, "keyvalue", "Settings", "set(_:forKey:)", 12, key + " = " + value, null, key, value);
        }

        private void add(int level, String tag, String file, String method, int line, String text, String url,
                String kvKey, String kvValue) {
            if (full()) {
                return;
            }
            long step = 50 + r.nextInt(3000);
            LogLine l = LogLine.of(d, now).level(level).tag(tag).source(file, method, line).text(text).url(url)
                    .thread(threadId);
            if (kvKey != null) {
                l.keyValue(kvKey, kvValue);
            }
            logs.add(l.build(app, r, step));
            now += step;
        }
    }

    static UUID uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
