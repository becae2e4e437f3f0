package io.fendersec.detect.enrich;

import io.fendersec.error.ConfigException;

/** A problem in a lookup file, naming the file and the line: {@code devices.csv line 7: ...}. */
public final class TableException extends ConfigException {
    private static final long serialVersionUID = 1L;

    TableException(String name, int line, String problem) {
        super(name + " line " + line + ": " + problem);
    }

    TableException(String name, String problem) {
        super(name + ": " + problem);
    }
}
