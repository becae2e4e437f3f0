package io.fendersec.api;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.LinkedHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.fendersec.error.ConfigException;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.DeflateInputStreamFactory;
import org.apache.hc.client5.http.entity.GZIPInputStreamFactory;
import org.apache.hc.client5.http.entity.InputStreamFactory;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the Apache HttpClient 5 instance behind a {@link HttpBugfenderApi}: a connection pool,
 * the bind address and proxy (through the route planner, HttpClient's supported place for both:
 * the planned route's local address is what the connection operator binds the socket to), TLS
 * with verification always on and an optional trust store, timeouts, gzip, a User-Agent, and no
 * automatic redirects or retries (a redirect could carry the bearer token to another host; retries
 * are done by {@link RequestExecutor}, which knows which failures are safe to retry).
 */
final class HttpClientFactory {
    static final String USER_AGENT = "fendersec/" + version();

    private HttpClientFactory() {}

    static CloseableHttpClient create(ClientSettings s) {
        InetAddress local = bindAddress(s.bindAddress());
        HttpHost proxy = s.proxy() == null ? null : new HttpHost(s.proxy().getScheme(), s.proxy().getHost(), s.proxy().getPort());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext(s)).buildClassic())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(s.connectTimeout()))
                        .setSocketTimeout(Timeout.of(s.readTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(64)
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setRoutePlanner(new EgressRoutePlanner(proxy, local))
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(Timeout.of(s.readTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(s.readTimeout()))
                        .build())
                .setUserAgent(USER_AGENT)
                .setContentDecoderRegistry(decoders())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /**
     * gzip and deflate only. Left to itself, HttpClient 5.6 advertises every coding it finds a codec
     * for on the classpath (commons-compress comes with Flink: zstd, lz4, bzip2, pack200,
     * deflate64...), some of which need native libraries that may be absent when the answer comes.
     */
    private static LinkedHashMap<String, InputStreamFactory> decoders() {
        LinkedHashMap<String, InputStreamFactory> d = new LinkedHashMap<>();
        d.put("gzip", GZIPInputStreamFactory.getInstance());
        d.put("x-gzip", GZIPInputStreamFactory.getInstance());
        d.put("deflate", DeflateInputStreamFactory.getInstance());
        return d;
    }

    /**
     * Routes every request through the configured proxy (or directly) from the configured local
     * address. System proxy properties are deliberately ignored: egress must be what the job says.
     */
    static final class EgressRoutePlanner extends DefaultRoutePlanner {
        private final HttpHost proxy;
        private final InetAddress local;

        EgressRoutePlanner(HttpHost proxy, InetAddress local) {
            super(DefaultSchemePortResolver.INSTANCE);
            this.proxy = proxy;
            this.local = local;
        }

        @Override
        protected HttpHost determineProxy(HttpHost target, HttpContext context) {
            return proxy;
        }

        @Override
        protected InetAddress determineLocalAddress(HttpHost firstHop, HttpContext context) {
            return local;
        }
    }

    private static InetAddress bindAddress(String address) {
        if (address == null) {
            return null;
        }
        try {
            return InetAddress.getByName(address); // an IP literal (checked by ClientSettings): no lookup
        } catch (IOException e) {
            throw new ConfigException("source.network.bind-address: not an address of this machine: " + address);
        }
    }

    private static SSLContext sslContext(ClientSettings s) {
        try {
            if (s.trustStore() == null) {
                return SSLContext.getDefault();
            }
            Path file = Path.of(s.trustStore());
            if (!Files.isReadable(file)) {
                throw new ConfigException("source.network.trust-store: " + file + " does not exist or cannot be read");
            }
            char[] password = s.trustStorePassword() == null ? null
                    : s.trustStorePassword().resolve("source.network.trust-store-password").toCharArray();
            KeyStore store;
            try {
                store = KeyStore.getInstance(file.toFile(), password); // PKCS#12 or JKS, detected
            } catch (IOException | GeneralSecurityException e) {
                throw new ConfigException("source.network.trust-store: " + file + " is not a PKCS#12 or JKS trust store"
                        + " readable with the configured source.network.trust-store-password ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (!hasCertificate(store)) {
                // A PKCS#12 read without its password loads as an empty store, with no error: every
                // handshake would then fail as if the service's certificate were untrusted.
                throw new ConfigException("source.network.trust-store: " + file + " holds no trusted certificate"
                        + (password == null ? " readable without a password: set source.network.trust-store-password"
                                : ""));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("source.network.trust-store: cannot set up TLS (" + e.getMessage() + ")");
        }
    }

    private static boolean hasCertificate(KeyStore store) throws KeyStoreException {
        for (java.util.Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements();) {
            if (store.isCertificateEntry(aliases.nextElement())) {
                return true;
            }
        }
        return false;
    }

    private static String version() {
        String v = HttpClientFactory.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
