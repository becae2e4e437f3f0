package io.fendersec.api;

import java.net.URI;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

import io.fendersec.error.NetworkException;
import io.fendersec.error.TerminalText;

/**
 * The service answered with a redirect (3xx), which the client never follows: the token and the
 * client's credentials go only to {@code source.url}. The same request gets the same answer, so
 * the client does not retry it and the annotation tells Flink's failover not to restart the job
 * for it (a redirect used to cost about ten restarts over minutes before the same exit).
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class RedirectedException extends NetworkException {
    private static final long serialVersionUID = 1L;
    /** A Location is the server's text: at most this much of it is shown. */
    private static final int MAX_LOCATION = 200;

    RedirectedException(String method, URI uri, int status, String location) {
        super("Bugfender answered " + method + " " + uri + " with a redirect (HTTP " + status + " to "
                + shown(location) + "), which is not followed so that the credentials stay with source.url:"
                + " set source.url to the service's address");
    }

    /** The Location as one safe line: control and bidi characters escaped, cut to {@link #MAX_LOCATION}. */
    private static String shown(String location) {
        if (location == null || location.isEmpty()) {
            return "no Location";
        }
        String cut = location.length() > MAX_LOCATION ? location.substring(0, MAX_LOCATION) + "..." : location;
        return TerminalText.line(cut);
    }
}
