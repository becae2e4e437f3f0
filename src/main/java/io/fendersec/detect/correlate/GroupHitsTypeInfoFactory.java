package io.fendersec.detect.correlate;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import io.fendersec.model.SingletonTypeInfo;

public final class GroupHitsTypeInfoFactory extends TypeInfoFactory<GroupHits> {
    public static final TypeInformation<GroupHits> TYPE =
            new SingletonTypeInfo<>(GroupHits.class, GroupHitsSerializer.INSTANCE);

    @Override
    public TypeInformation<GroupHits> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
        return TYPE;
    }
}
