/**
 * Access tokens for a source whose sign-in is a rotating refresh token ({@code method:
 * refresh-token}).
 *
 * <p>A refresh token works once: every refresh retires it and the answer carries its successor.
 * Readers that each redeemed it would race (the loser gets {@code invalid_grant}), and on a cluster
 * they run in different processes, so no lock can serialize them. Instead the split enumerator
 * (one per job, on the JobManager) is the only holder of the refresh token and the only writer of
 * {@code source.auth.refresh-token-file} ({@link io.fendersec.source.token.TokenLender}); readers
 * borrow access tokens from it with source events ({@link io.fendersec.source.token.BorrowedTokens}).
 * A reader asks when it has no token, when its token is due, and after a 401, always naming the
 * token it holds: the lender renews only when that is still its current token, so a burst of
 * readers rejected with the same token causes one refresh.
 *
 * <p>Tokens travel over Flink's RPC between JobManager and TaskManagers, never in the job graph;
 * the events' {@code toString} show no token. Sign-in methods without a rotating credential (JWT
 * assertion, client secret) keep signing in in every reader.
 */
package io.fendersec.source.token;
