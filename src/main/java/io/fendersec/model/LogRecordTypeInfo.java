package io.fendersec.model;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information for {@link LogRecord}: an atomic type with its own serializer. */
public final class LogRecordTypeInfo extends TypeInformation<LogRecord> {
    private static final long serialVersionUID = 1L;

    public static final LogRecordTypeInfo INSTANCE = new LogRecordTypeInfo();

    private LogRecordTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<LogRecord> getTypeClass() {
        return LogRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<LogRecord> createSerializer(SerializerConfig config) {
        return LogRecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "LogRecord";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof LogRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return LogRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof LogRecordTypeInfo;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
