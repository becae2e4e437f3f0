package io.fendersec.model;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink type information for {@link LogRecord}: an atomic type with its own serializer, never Kryo. */
public final class LogRecordTypeInfo {
    public static final TypeInformation<LogRecord> INSTANCE =
            new SingletonTypeInfo<>(LogRecord.class, LogRecordSerializer.INSTANCE);

    private LogRecordTypeInfo() {}
}
