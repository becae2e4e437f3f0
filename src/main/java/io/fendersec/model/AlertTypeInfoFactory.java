package io.fendersec.model;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Tells Flink's type extraction to use {@link AlertSerializer} for {@link Alert}. */
public final class AlertTypeInfoFactory extends TypeInfoFactory<Alert> {
    public static final TypeInformation<Alert> TYPE = new SingletonTypeInfo<>(Alert.class, AlertSerializer.INSTANCE);

    @Override
    public TypeInformation<Alert> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
        return TYPE;
    }
}
