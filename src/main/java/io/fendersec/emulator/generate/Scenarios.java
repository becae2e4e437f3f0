package io.fendersec.emulator.generate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The scenarios {@code --scenario} can name. Only {@code none} so far; attacks come in a later issue. */
public final class Scenarios {
    private static final Map<String, ScenarioInjector> KNOWN = new LinkedHashMap<>();

    static {
        register(new ScenarioInjector() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public ScenarioOutput inject(ScenarioContext context) {
                return ScenarioOutput.empty();
            }
        });
    }

    private Scenarios() {}

    private static void register(ScenarioInjector s) {
        KNOWN.put(s.name(), s);
    }

    public static Optional<ScenarioInjector> byName(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    public static Set<String> names() {
        return KNOWN.keySet();
    }
}
