package io.fendersec.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.connector.datagen.source.GeneratorFunction;

/** Feeds a fixed list through Flink's DataGeneratorSource, so a test can rate-limit it per checkpoint. */
public final class ListGenerator<T> implements GeneratorFunction<Long, T> {
    private static final long serialVersionUID = 1L;
    private final ArrayList<T> values;

    public ListGenerator(List<T> values) {
        this.values = new ArrayList<>(values);
    }

    @Override
    public T map(Long i) {
        return values.get((int) (long) i);
    }
}
