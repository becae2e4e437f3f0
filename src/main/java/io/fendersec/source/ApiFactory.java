package io.fendersec.source;

import java.io.Serializable;

import io.fendersec.api.BugfenderApi;
import io.fendersec.api.ClientMetrics;
import io.fendersec.api.ClientSettings;

/**
 * Builds the client where it is used: in the enumerator (JobManager) and once per reader
 * (TaskManager). It travels inside the job graph, so it must be serializable and hold no secret;
 * the client it builds resolves {@link io.fendersec.auth.SecretRef}s and reads key files itself,
 * on the machine where it runs.
 */
@FunctionalInterface
public interface ApiFactory extends Serializable {
    /** The HTTP client (a method reference, so it serializes without capturing anything). */
    ApiFactory HTTP = BugfenderApi::create;

    BugfenderApi create(ClientSettings settings, ClientMetrics metrics);
}
