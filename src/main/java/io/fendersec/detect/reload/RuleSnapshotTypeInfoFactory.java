package io.fendersec.detect.reload;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import io.fendersec.model.SingletonTypeInfo;

public final class RuleSnapshotTypeInfoFactory extends TypeInfoFactory<RuleSnapshot> {
    public static final TypeInformation<RuleSnapshot> TYPE =
            new SingletonTypeInfo<>(RuleSnapshot.class, RuleSnapshotSerializer.INSTANCE);

    @Override
    public TypeInformation<RuleSnapshot> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
        return TYPE;
    }
}
