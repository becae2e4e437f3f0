package io.fendersec.source.token;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.flink.api.connector.source.SourceEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fendersec.auth.TokenProvider;
import io.fendersec.auth.TokenResponse;
import io.fendersec.error.NetworkException;

/**
 * A reader's access tokens, borrowed from the enumerator (see the package notes). The reader's
 * client calls {@link #fetch} (from its token cache, one call at a time) when it has no token, when
 * its token is due, or after the server rejected it; this sends a {@link TokenRequest} naming the
 * token held and waits for the matching {@link TokenGrant}, which the reader hands to
 * {@link #onGrant} from its task thread.
 *
 * <p>The request is sent again every {@link #RESEND_EVERY} while no answer came (an event can be
 * dropped while the enumerator is not ready for this reader, e.g. around a restart; asking twice
 * with the same held token renews at most once), and the wait gives up after {@link #GIVE_UP_AFTER},
 * longer than the enumerator's own retries of the token endpoint take.
 */
public final class BorrowedTokens implements TokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(BorrowedTokens.class);
    static final Duration RESEND_EVERY = Duration.ofSeconds(10);
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    private final Consumer<SourceEvent> toEnumerator;
    private final String clientId;
    private final Duration resendEvery;
    private final Duration giveUpAfter;
    private final Object lock = new Object();
    private long lastId;
    private long waitingFor = -1;
    private TokenGrant answer;
    /** The token this reader holds (the last one borrowed); touched only by {@link #fetch}. */
    private String held;

    /** @param toEnumerator {@code SourceReaderContext::sendSourceEventToCoordinator} */
    public BorrowedTokens(Consumer<SourceEvent> toEnumerator, String clientId) {
        this(toEnumerator, clientId, RESEND_EVERY, GIVE_UP_AFTER);
    }

    BorrowedTokens(Consumer<SourceEvent> toEnumerator, String clientId, Duration resendEvery, Duration giveUpAfter) {
        this.toEnumerator = toEnumerator;
        this.clientId = clientId;
        this.resendEvery = resendEvery;
        this.giveUpAfter = giveUpAfter;
    }

    @Override
    public TokenResponse fetch() {
        TokenRequest request;
        synchronized (lock) {
            request = new TokenRequest(++lastId, held);
            waitingFor = request.id();
            answer = null;
        }
        TokenGrant grant = await(request);
        TokenResponse lease = grant.lease(); // throws the enumerator's error
        held = lease.accessToken();
        return lease;
    }

    private TokenGrant await(TokenRequest request) {
        long now = System.nanoTime();
        long deadline = now + giveUpAfter.toNanos();
        long start = now;
        long nextSend = now;
        synchronized (lock) {
            try {
                while (answer == null) {
                    now = System.nanoTime();
                    if (now - deadline >= 0) {
                        throw new NetworkException("no access token from the source's enumerator (on the JobManager,"
                                + " which holds source.auth.refresh-token-file for client '" + clientId + "') within "
                                + giveUpAfter.toSeconds() + " s; check the JobManager's log");
                    }
                    if (now - nextSend >= 0) {
                        if (nextSend != start) {
                            LOG.info("No answer from the source's enumerator to token request {} after {} s; asking again",
                                    request.id(), resendEvery.toSeconds());
                        }
                        toEnumerator.accept(request);
                        nextSend = now + resendEvery.toNanos();
                    }
                    long waitNanos = Math.min(nextSend, deadline) - now;
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, waitNanos));
                }
                return answer;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NetworkException("interrupted while waiting for an access token from the source's enumerator", e);
            } finally {
                waitingFor = -1;
                answer = null;
            }
        }
    }

    /** An answer from the enumerator; ignored unless it answers the request being waited for. */
    public void onGrant(TokenGrant grant) {
        synchronized (lock) {
            if (grant.requestId() == waitingFor && answer == null) {
                answer = grant;
                lock.notifyAll();
            }
        }
    }

    @Override
    public String describe() {
        return "refresh token for " + clientId + ", access tokens borrowed from the source's enumerator";
    }

    @Override
    public String toString() {
        return "BorrowedTokens{" + clientId + "}";
    }
}
