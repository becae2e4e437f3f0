package io.fendersec.detect.correlate;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import io.fendersec.model.SingletonTypeInfo;

public final class HitTypeInfoFactory extends TypeInfoFactory<Hit> {
    public static final TypeInformation<Hit> TYPE = new SingletonTypeInfo<>(Hit.class, HitSerializer.INSTANCE);

    @Override
    public TypeInformation<Hit> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
        return TYPE;
    }
}
