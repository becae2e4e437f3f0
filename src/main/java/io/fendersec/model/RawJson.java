package io.fendersec.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * A JSON object or array kept as its compact text. Log records are flat in practice; a nested
 * value the API may add later is carried through untouched rather than interpreted.
 */
public final class RawJson implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String json;

    public RawJson(String json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public String json() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson && ((RawJson) o).json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
