package io.fendersec.source.token;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * A reader asks the enumerator for an access token. {@code held} is the token the reader has (due,
 * or rejected by the server), null when it has none: the enumerator renews only if that is still
 * its current token. A credential travels here: {@link #toString} never shows it.
 */
public final class TokenRequest implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final long id;
    private final String held;

    public TokenRequest(long id, String held) {
        this.id = id;
        this.held = held;
    }

    /** Echoed in the answer, so a reader recognises the answer to its current request. */
    public long id() {
        return id;
    }

    /** The token the reader holds, or null. */
    String held() {
        return held;
    }

    @Override
    public String toString() {
        return "TokenRequest{id=" + id + (held != null ? ", held=<redacted>" : "") + "}";
    }
}
