package io.fendersec.api;

/**
 * What the client reports as it works, so that the Flink source can expose it as metrics and the
 * CLI as a summary. Implementations must be thread-safe and cheap; every method defaults to no-op.
 */
public interface ClientMetrics {
    ClientMetrics NONE = new ClientMetrics() {};

    /** A page of logs was fetched and parsed. */
    default void pageFetched(int records) {}

    /** A request failed; {@code kind} is e.g. "http-5xx", "http-429", "reset", "truncated", "bad-json", "timeout", "response-timeout". */
    default void apiError(String kind) {}

    /** A request is being retried after an error of {@code kind}. */
    default void retry(String kind) {}

    /** The client waited for the request-rate budget or a Retry-After. */
    default void rateLimitWait(long millis) {}

    /** A new access token was obtained. */
    default void tokenRefreshed() {}
}
