package io.fendersec.emulator.generate;

/**
 * Adds labeled logs of one scenario (an attack, a misconfiguration) to the benign traffic. The
 * generator calls it once, after the benign logs, with its own branch of the seeded random
 * generator, so adding a scenario does not change the benign logs of the same seed.
 * Implementations must be deterministic in what the context gives them (no wall clock).
 */
public interface ScenarioInjector {
    /** The name {@code --scenario} selects it by. */
    String name();

    ScenarioOutput inject(ScenarioContext context);
}
