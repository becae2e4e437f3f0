package io.fendersec.job.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.fendersec.error.ConfigException;

/**
 * Collects every problem of a job spec, so that {@code validate} can report them all at once,
 * one per line, each naming the dotted key path and the expected form.
 */
public final class SpecErrors {
    private final String file;
    private final List<String> errors = new ArrayList<>();

    public SpecErrors(String file) {
        this.file = file;
    }

    public void add(String path, String message) {
        errors.add((path.isEmpty() ? "" : path + ": ") + message);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<String> all() {
        return Collections.unmodifiableList(errors);
    }

    /** Throws one ConfigException listing every error, each line prefixed with the file. */
    public void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                sb.append(System.lineSeparator()).append("fendersec: ");
            }
            sb.append(file).append(": ").append(errors.get(i));
        }
        throw new ConfigException(sb.toString());
    }
}
