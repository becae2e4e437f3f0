package io.fendersec.source;

import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.ClientSettings;
import io.fendersec.auth.TokenProvider;

/**
 * One client, built on first use where it runs (enumerator or reader), shared by everything its
 * owner creates: {@code SourceReaderBase} makes a new {@code SplitReader} whenever its fetcher went
 * idle and was closed, and each of them must reuse the same connection pool, token cache and
 * request-rate budget instead of signing in again. Closed only by its owner.
 */
public final class SharedApi implements AutoCloseable {
    private final ApiFactory factory;
    private final ClientSettings settings;
    private final ClientMetrics metrics;
    private final TokenProvider signIn;
    private BugfenderApi api;
    private boolean closed;
    /** Learnt from the server: older snapshot pages carry no 'previous' (read newest first). Never unlearnt. */
    private volatile boolean newestFirst;

    public SharedApi(ApiFactory factory, ClientSettings settings, ClientMetrics metrics) {
        this(factory, settings, metrics, null);
    }

    /** @param signIn where the client gets its access tokens; null for the configured sign-in method */
    public SharedApi(ApiFactory factory, ClientSettings settings, ClientMetrics metrics, TokenProvider signIn) {
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
        this.signIn = signIn;
    }

    /** The client, built now if needed: callers are I/O threads, never the task or coordinator thread. */
    public synchronized BugfenderApi get() {
        if (closed) {
            throw new IllegalStateException("the Bugfender client of this source was closed");
        }
        if (api == null) {
            api = signIn == null ? factory.create(settings, metrics) : factory.create(settings, metrics, signIn);
        }
        return api;
    }

    /**
     * Whether this server was seen to link older snapshot pages by {@code next} alone (see
     * {@link io.fendersec.api.PagingContract#linksNewer}): later splits then start newest first
     * without probing the oldest page again.
     */
    public boolean readsNewestFirst() {
        return newestFirst;
    }

    public void learnedNewestFirst() {
        newestFirst = true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (api != null) {
            api.close();
            api = null;
        }
    }
}
