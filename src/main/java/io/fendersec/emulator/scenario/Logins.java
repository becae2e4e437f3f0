package io.fendersec.emulator.scenario;

import java.time.Instant;
import java.util.SplittableRandom;

import io.fendersec.emulator.generate.Device;
import io.fendersec.emulator.generate.LogLine;
import io.fendersec.model.LogFields;

/**
 * How apps log sign-ins. Each app and version has its own style (chosen once per incident, like a
 * code base has one login screen), and each attempt may also log the HTTP call behind it.
 */
final class Logins {
    /** A code base's way of logging a failed and a successful sign-in. */
    private record Style(String file, String method, int line, String failure, String success, String kvKey) {}

    private static final Style[] STYLES = {
        new Style("LoginViewModel", "submit()", 88, "Login failed for %s: invalid password", "Login succeeded for %s", null),
        new Style("AuthRepository", "signIn(email:password:)", 141, "Sign-in rejected for %s (INVALID_CREDENTIALS)",
                "Signed in as %s", null),
        new Style("SessionManager", "authenticate()", 63, "Authentication failed: user=%s reason=wrong_password",
                "Authentication successful: user=%s", null),
        new Style("AuthService", "login()", 212, "[Auth] login(%s) -> 401 Unauthorized", "[Auth] login(%s) -> 200 OK", null),
        new Style("LoginAnalytics", "track(_:)", 19, null, null, "login_failure"),
    };

    private final Style style;
    private final String loginUrl;

    private Logins(Style style, String apiHost) {
        this.style = style;
        this.loginUrl = apiHost + pick(new String[] {"/v2/auth/login", "/v2/session", "/oauth/token", "/v1/users/sign_in"},
                style.line % 4);
    }

    /** The style of one code base, drawn once per incident. */
    static Logins style(SplittableRandom r, String apiHost) {
        return new Logins(STYLES[r.nextInt(STYLES.length)], apiHost);
    }

    /** A failed sign-in of {@code user} from {@code d} at {@code t}. */
    LogLine failure(Device d, Instant t, String user) {
        if (style.kvKey != null) {
            return LogLine.of(d, t).level(LogFields.LEVEL_WARNING).tag("auth").source(style.file, style.method, style.line)
                    .text(style.kvKey + " = " + user).keyValue(style.kvKey, user);
        }
        return LogLine.of(d, t).level(LogFields.LEVEL_WARNING).tag("auth").source(style.file, style.method, style.line)
                .text(String.format(style.failure, user));
    }

    /** A successful sign-in. */
    LogLine success(Device d, Instant t, String user) {
        if (style.kvKey != null) {
            return LogLine.of(d, t).tag("auth").source(style.file, style.method, style.line + 4)
                    .text("login_success = " + user).keyValue("login_success", user);
        }
        return LogLine.of(d, t).tag("auth").source(style.file, style.method, style.line + 9)
                .text(String.format(style.success, user));
    }

    /** The HTTP call behind an attempt: the URL with its status, as the networking layer logs it. */
    LogLine request(Device d, Instant t, int status, SplittableRandom r) {
        int level = status >= 400 ? LogFields.LEVEL_WARNING : LogFields.LEVEL_INFO;
        return LogLine.of(d, t).level(level).tag("network").source("HttpClient", "send(_:)", 64).url(loginUrl)
                .text("POST " + loginUrl + " -> " + status + " (" + (80 + r.nextInt(400)) + " ms)");
    }

    private static String pick(String[] options, int i) {
        return options[Math.floorMod(i, options.length)];
    }
}
