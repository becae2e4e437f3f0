package io.fendersec.api;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.fendersec.model.LogRecord;

/**
 * The Bugfender API as Fendersec uses it. Thread-safe: one instance (one connection pool, one
 * token cache) is shared by every reader of a process. Calls block; they retry transient
 * failures themselves and throw {@link io.fendersec.error.AccessRefusedException} (refused),
 * {@link io.fendersec.error.NetworkException} (unreachable or still failing after retries) or
 * {@link io.fendersec.error.ConfigException} (settings that cannot work).
 *
 * <p>How pages link to each other is the paging contract: see {@link PagingContract}.
 */
public interface BugfenderApi extends AutoCloseable {

    /**
     * The HTTP client for {@code settings}; {@code metrics} may be {@link ClientMetrics#NONE}. Fails
     * fast with a {@link io.fendersec.error.ConfigException} for settings that cannot work (a bad
     * key file or trust store). Signs in on the first call.
     */
    static BugfenderApi create(ClientSettings settings, ClientMetrics metrics) {
        return HttpBugfenderApi.create(settings, metrics);
    }

    /**
     * A client whose access tokens come from {@code signIn} instead of the configured sign-in
     * method: the readers of a refresh-token source borrow theirs from the one process that holds
     * the refresh token (see {@code io.fendersec.source.token}). Retries, 401 handling and the token
     * cache are the same as with {@link #create(ClientSettings, ClientMetrics)}.
     */
    static BugfenderApi create(ClientSettings settings, ClientMetrics metrics, io.fendersec.auth.TokenProvider signIn) {
        return HttpBugfenderApi.create(settings, metrics, (s, endpoint, clock) -> signIn);
    }

    /**
     * For the owner of a credential that other processes borrow tokens from: this client's access
     * token and how long it still lives, renewed first when it is due or equals {@code stale} (a
     * borrower's token that it found due or that the server rejected; null for none). Only one
     * process may renew a rotating refresh token; the others ask it. A credential: never log it.
     */
    default io.fendersec.auth.TokenResponse leaseAccessToken(String stale) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lend access tokens");
    }

    /** The apps the account can see. */
    List<App> apps();

    /** The first answer of a query without a cursor: it fixes a snapshot. */
    LogPage firstPage(LogQuery query);

    /**
     * Fixes a snapshot like {@link #firstPage} but keeps only the answer's links and its number of
     * logs ({@link LogPage#linksOnly}): a source's enumerator needs no more, and building the
     * records of every slice's first page cost as much as a quarter of reading them.
     */
    default LogPage fixSnapshot(LogQuery query) {
        LogPage p = firstPage(query);
        return LogPage.linksOnly(p.url(), p.size(), p.next(), p.previous(), p.last(), p.queryId());
    }

    /**
     * Fetches a cursor URL taken from an earlier answer ({@code next}, {@code previous},
     * {@code last}, or a stored position). Refuses a URL on another origin than the configured
     * base URL, so a token is never sent elsewhere.
     */
    LogPage page(String url);

    /** The size of the query's snapshot. */
    long count(LogQuery query);

    /** Streams the query's snapshot, oldest first, without holding it in memory. */
    void download(LogQuery query, Consumer<LogRecord> consumer);

    /** Server clock minus local clock, from the last answer's {@code Date} header; zero before any call. */
    Duration clockSkew();

    @Override
    void close();
}
