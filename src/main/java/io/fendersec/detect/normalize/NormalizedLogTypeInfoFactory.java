package io.fendersec.detect.normalize;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import io.fendersec.model.SingletonTypeInfo;

/** Tells Flink's type extraction to use {@link NormalizedLogSerializer}. */
public final class NormalizedLogTypeInfoFactory extends TypeInfoFactory<NormalizedLog> {
    public static final TypeInformation<NormalizedLog> TYPE =
            new SingletonTypeInfo<>(NormalizedLog.class, NormalizedLogSerializer.INSTANCE);

    @Override
    public TypeInformation<NormalizedLog> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
        return TYPE;
    }
}
