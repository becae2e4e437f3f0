package io.fendersec.emulator.auth;

import java.security.PublicKey;
import java.util.Objects;

/** A registered OAuth client: a service account (JWT or secret) or an integration. */
public abstract class ClientAccount {
    private final String id;
    private final AddressAllowlist allowlist;

    ClientAccount(String id, AddressAllowlist allowlist) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a client needs an id");
        }
        this.id = id;
        this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
    }

    public String id() {
        return id;
    }

    public AddressAllowlist allowlist() {
        return allowlist;
    }

    /** What the start line and docs call this kind of client. */
    public abstract String kind();

    /** A service account authenticating with an RS256 JWT signed by the key it registered. */
    public static final class ServiceAccount extends ClientAccount {
        private final PublicKey publicKey;

        public ServiceAccount(String id, PublicKey publicKey, AddressAllowlist allowlist) {
            super(id, allowlist);
            if (!"RSA".equals(publicKey.getAlgorithm())) {
                throw new IllegalArgumentException("service account " + id + " needs an RSA public key");
            }
            this.publicKey = publicKey;
        }

        public PublicKey publicKey() {
            return publicKey;
        }

        @Override
        public String kind() {
            return "service account (JWT)";
        }
    }

    /** A service account authenticating with a static client secret. */
    public static final class SecretClient extends ClientAccount {
        private final String secret;

        public SecretClient(String id, String secret, AddressAllowlist allowlist) {
            super(id, allowlist);
            this.secret = Objects.requireNonNull(secret, "secret");
        }

        public boolean secretMatches(String candidate) {
            return Secrets.equal(secret, candidate);
        }

        @Override
        public String kind() {
            return "client secret";
        }
    }

    /** An integration acting for a user who authorized it (authorization code + refresh). */
    public static final class Integration extends ClientAccount {
        private final String secret;
        private final java.util.List<String> redirectUris;

        /** An integration that may only use the out-of-band redirect. */
        public Integration(String id, String secret) {
            this(id, secret, java.util.List.of());
        }

        /**
         * {@code redirectUris}: where /auth/authorize may send its codes, compared exactly (RFC 6749
         * §3.1.2); the out-of-band redirect is always allowed, as it sends the code nowhere.
         */
        public Integration(String id, String secret, java.util.List<String> redirectUris) {
            super(id, AddressAllowlist.any());
            this.secret = Objects.requireNonNull(secret, "secret");
            this.redirectUris = java.util.List.copyOf(redirectUris);
        }

        public boolean secretMatches(String candidate) {
            return Secrets.equal(secret, candidate);
        }

        public boolean allowsRedirect(String uri) {
            return AuthorizationServer.OOB.equals(uri) || redirectUris.contains(uri);
        }

        @Override
        public String kind() {
            return "integration";
        }
    }
}
