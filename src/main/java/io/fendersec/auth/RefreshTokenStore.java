package io.fendersec.auth;

/** Where the newest refresh token of an integration is kept between runs. */
public interface RefreshTokenStore {
    /** The stored refresh token; a {@link io.fendersec.error.ConfigException} when there is none. */
    String read();

    /** Replaces the stored token durably: when this returns, a crash cannot lose {@code token}. */
    void save(String token);

    /** Where, for messages. */
    String describe();
}
