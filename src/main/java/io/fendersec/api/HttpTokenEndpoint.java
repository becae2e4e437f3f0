package io.fendersec.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.fendersec.auth.TokenEndpoint;
import io.fendersec.auth.TokenResponse;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST <base>/auth/token} over the same connection pool, egress and retries as the API
 * calls (the allowlist applies to both). OAuth error answers become one-line refusals naming the
 * client id and what to check. The form is never logged: it holds a secret or an assertion.
 */
final class HttpTokenEndpoint implements TokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTokenEndpoint.class);

    private final RequestExecutor executor;
    private final ClientSettings settings;
    private final URI tokenUrl;
    private final com.fasterxml.jackson.core.JsonFactory json;

    HttpTokenEndpoint(RequestExecutor executor, ClientSettings settings) {
        this.executor = executor;
        this.settings = settings;
        this.tokenUrl = settings.tokenUrl();
        this.json = settings.limits().jsonFactory();
    }

    @Override
    public TokenResponse request(Supplier<Map<String, String>> form, String grant) {
        LOG.debug("requesting an access token: grant {} for client {}", grant, settings.auth().clientId());
        try {
            return executor.execute(() -> {
                List<NameValuePair> pairs = new ArrayList<>();
                form.get().forEach((k, v) -> pairs.add(new BasicNameValuePair(k, v)));
                HttpPost post = new HttpPost(tokenUrl);
                post.setHeader(HttpHeaders.ACCEPT, "application/json");
                post.setEntity(new UrlEncodedFormEntity(pairs, StandardCharsets.UTF_8));
                return post;
            }, tokenUrl, RequestExecutor.Endpoint.TOKEN, body -> LogJson.token(json, body));
        } catch (RequestExecutor.TokenRefused e) {
            throw Refusals.token(e.answer, settings, grant);
        }
    }

    @Override
    public String toString() {
        return "HttpTokenEndpoint{" + tokenUrl + "}";
    }
}
