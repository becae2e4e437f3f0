package io.fendersec.sink;

import java.util.Map;

/** {@link TestPostgres} for tests in other packages. */
public final class TestPostgresAccess {
    private TestPostgresAccess() {}

    public static Map<String, String> settings() {
        return TestPostgres.settings();
    }
}
