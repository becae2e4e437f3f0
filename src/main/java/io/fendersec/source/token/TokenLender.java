package io.fendersec.source.token;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.auth.TokenResponse;
import io.fendersec.source.SharedApi;

/**
 * The enumerator's side (see the package notes): answers {@link TokenRequest}s from the
 * enumerator's own client, whose token cache holds the only copy of the refresh token and renews
 * it (rotating {@code source.auth.refresh-token-file}) when the requester's token is still the
 * current one. Token requests block on the network, so they run on a thread of their own: neither
 * the coordinator thread nor the worker that fixes snapshots waits for them, nor they for it.
 */
public final class TokenLender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenLender.class);

    private final SplitEnumeratorContext<?> context;
    private final SharedApi api;
    private ExecutorService worker;
    private boolean closed;

    public TokenLender(SplitEnumeratorContext<?> context, SharedApi api) {
        this.context = context;
        this.api = api;
    }

    /** Called on the coordinator thread; answers later, to the same attempt of the same reader. */
    public void handle(int subtask, int attempt, TokenRequest request) {
        try {
            worker().execute(() -> {
                TokenGrant grant;
                try {
                    TokenResponse lease = api.get().leaseAccessToken(request.held());
                    grant = TokenGrant.of(request.id(), lease);
                } catch (RuntimeException e) {
                    // The reader fails with this error (e.g. invalid_grant: run fendersec login again).
                    LOG.warn("Cannot lend an access token to reader {}: {}", subtask, e.getMessage());
                    grant = TokenGrant.failed(request.id(), e);
                }
                TokenGrant answer = grant;
                context.runInCoordinatorThread(() -> reply(subtask, attempt, answer));
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Token request of reader {} after the enumerator closed", subtask);
        }
    }

    private void reply(int subtask, int attempt, TokenGrant grant) {
        var attempts = context.registeredReadersOfAttempts().get(subtask);
        if (attempts == null || !attempts.containsKey(attempt)) {
            return; // that attempt is gone; its successor asks for itself
        }
        try {
            context.sendEventToSourceReader(subtask, attempt, grant);
        } catch (RuntimeException e) {
            // Not ready for events (e.g. failing over): the reader asks again.
            LOG.debug("Cannot answer the token request of reader {} (attempt {}): {}", subtask, attempt, e.toString());
        }
    }

    private synchronized ExecutorService worker() {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bugfender-token-lender");
                t.setDaemon(true);
                return t;
            });
        }
        return worker;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
