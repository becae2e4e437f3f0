package io.fendersec.emulator.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import io.fendersec.emulator.scenario.AttackScenarios;
import io.fendersec.model.ScenarioLabel;

/**
 * The scenarios {@code --scenario} can name: {@code none}, {@code all}, one attack, or a comma
 * list of attacks. Each attack draws from its own random branch, derived from the seed and its
 * name, so an attack is the same alone, in a list or in {@code all}, and adding one changes no
 * other. Live attacks ({@link LiveScenario}, e.g. {@code clock-skew}) are named like the others
 * but are not in {@code all}: they add nothing to the generated data set, only uploads while
 * the emulator runs (see {@link #live(String)}), which bounded reads of past ranges never list.
 */
public final class Scenarios {
    public static final String NONE = "none";
    public static final String ALL = "all";

    private static final Map<String, ScenarioInjector> KNOWN = new LinkedHashMap<>();
    private static final Map<String, LiveScenario> LIVE = new LinkedHashMap<>();

    static {
        for (ScenarioInjector s : AttackScenarios.all()) {
            KNOWN.put(s.name(), s);
        }
        for (LiveScenario s : AttackScenarios.live()) {
            LIVE.put(s.name(), s);
        }
    }

    private Scenarios() {}

    /**
     * {@code none}, {@code all}, or comma-separated attack names, {@code all} among them (blanks
     * around names ignored, duplicates once); empty when any name is unknown.
     */
    public static Optional<ScenarioInjector> byName(String spec) {
        String s = spec.strip();
        if (s.equals(NONE)) {
            return Optional.of(new Combined(NONE, List.of()));
        }
        if (s.equals(ALL)) {
            return Optional.of(new Combined(ALL, List.copyOf(KNOWN.values())));
        }
        Set<String> names = names(s);
        Set<ScenarioInjector> chosen = new LinkedHashSet<>();
        for (String n : names) {
            if (n.equals(ALL)) { // e.g. "all,clock-skew": every attack of all, plus live ones
                chosen.addAll(KNOWN.values());
                continue;
            }
            ScenarioInjector one = KNOWN.get(n);
            if (one == null && !LIVE.containsKey(n)) {
                return Optional.empty();
            }
            if (one != null) {
                chosen.add(one);
            }
        }
        return Optional.of(new Combined(String.join(",", names), List.copyOf(chosen)));
    }

    /**
     * The live attacks {@code spec} names, in its order: none for {@code none} and {@code all};
     * empty for unknown names too ({@link #byName} refuses those).
     */
    public static List<LiveScenario> live(String spec) {
        String s = spec.strip();
        if (s.equals(NONE) || s.equals(ALL)) {
            return List.of();
        }
        List<LiveScenario> chosen = new ArrayList<>();
        for (String n : names(s)) {
            LiveScenario one = LIVE.get(n);
            if (one != null) {
                chosen.add(one);
            }
        }
        return chosen;
    }

    private static Set<String> names(String spec) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : spec.split(",")) {
            names.add(n.strip());
        }
        return names;
    }

    /** The attack names of {@code all}, in registration order (besides {@code none} and {@code all}). */
    public static Set<String> attacks() {
        return KNOWN.keySet();
    }

    /** The live attack names (not in {@code all}). */
    public static Set<String> liveAttacks() {
        return LIVE.keySet();
    }

    /** Everything {@code --scenario} accepts as one name. */
    public static Set<String> names() {
        Set<String> all = new LinkedHashSet<>(List.of(NONE, ALL));
        all.addAll(KNOWN.keySet());
        all.addAll(LIVE.keySet());
        return all;
    }

    /** Runs the chosen attacks one after another, each on its own random branch. */
    private static final class Combined implements ScenarioInjector {
        private final String name;
        private final List<ScenarioInjector> parts;

        Combined(String name, List<ScenarioInjector> parts) {
            this.name = name;
            this.parts = parts;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ScenarioOutput inject(ScenarioContext context) {
            long base = context.random().nextLong();
            List<GeneratedLog> logs = new ArrayList<>();
            List<ScenarioLabel> labels = new ArrayList<>();
            for (ScenarioInjector p : parts) {
                SplittableRandom branch = new SplittableRandom(base ^ (0x9E3779B97F4A7C15L * p.name().hashCode()));
                ScenarioOutput out = p.inject(context.withRandom(branch));
                logs.addAll(out.logs());
                labels.addAll(out.labels());
            }
            return new ScenarioOutput(logs, labels);
        }
    }
}
