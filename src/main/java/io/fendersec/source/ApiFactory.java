package io.fendersec.source;

import java.io.Serializable;

import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.ClientSettings;
import io.fendersec.auth.TokenProvider;

/**
 * Builds the client where it is used: in the enumerator (JobManager) and once per reader
 * (TaskManager). It travels inside the job graph, so it must be serializable and hold no secret;
 * the client it builds resolves {@link io.fendersec.auth.SecretRef}s and reads key files itself,
 * on the machine where it runs.
 */
@FunctionalInterface
public interface ApiFactory extends Serializable {
    /** The HTTP client (an enum constant: it serializes without capturing anything and stays one instance). */
    ApiFactory HTTP = Http.INSTANCE;

    BugfenderApi create(ClientSettings settings, ClientMetrics metrics);

    /**
     * A client whose access tokens come from {@code signIn} (a reader borrowing them from the
     * enumerator) instead of the configured sign-in method. The HTTP factory builds exactly that;
     * a factory of test clients that never sign in may ignore it, as this default does.
     */
    default BugfenderApi create(ClientSettings settings, ClientMetrics metrics, TokenProvider signIn) {
        return create(settings, metrics);
    }

    /** {@link BugfenderApi#create}, with borrowed tokens when asked. */
    enum Http implements ApiFactory {
        INSTANCE;

        @Override
        public BugfenderApi create(ClientSettings settings, ClientMetrics metrics) {
            return BugfenderApi.create(settings, metrics);
        }

        @Override
        public BugfenderApi create(ClientSettings settings, ClientMetrics metrics, TokenProvider signIn) {
            return BugfenderApi.create(settings, metrics, signIn);
        }
    }
}
