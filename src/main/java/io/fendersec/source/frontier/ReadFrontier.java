package io.fendersec.source.frontier;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Enumerator to readers: no log still to be read in this bounded run, by any reader, is older than
 * {@code millis} (epoch millis; {@link Long#MAX_VALUE} once nothing is left). Only ever sent larger.
 */
public final class ReadFrontier implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final long millis;

    public ReadFrontier(long millis) {
        this.millis = millis;
    }

    public long millis() {
        return millis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadFrontier && ((ReadFrontier) o).millis == millis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis);
    }

    @Override
    public String toString() {
        return "ReadFrontier{" + millis + "}";
    }
}
