package io.fendersec.model;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Tells Flink's type extraction to use {@link LogRecordSerializer} for {@link LogRecord}. */
public final class LogRecordTypeInfoFactory extends TypeInfoFactory<LogRecord> {
    @Override
    public TypeInformation<LogRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return LogRecordTypeInfo.INSTANCE;
    }
}
