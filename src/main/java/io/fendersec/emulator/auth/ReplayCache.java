package io.fendersec.emulator.auth;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code jti}s of accepted client assertions, each kept until its assertion has expired:
 * after that the assertion is refused for its {@code exp} anyway, so the entry can go. The
 * 120 s cap on assertion lifetimes bounds the cache.
 */
final class ReplayCache {
    private final Map<String, Instant> seen = new HashMap<>();

    /** Records {@code clientId}/{@code jti}; false when it is already recorded and not yet expired. */
    synchronized boolean firstUse(String clientId, String jti, Instant expiresAt, Instant now) {
        for (Iterator<Instant> it = seen.values().iterator(); it.hasNext();) {
            if (!it.next().isAfter(now)) {
                it.remove();
            }
        }
        return seen.putIfAbsent(clientId + "\u0000" + jti, expiresAt) == null;
    }

    synchronized int size() {
        return seen.size();
    }
}
