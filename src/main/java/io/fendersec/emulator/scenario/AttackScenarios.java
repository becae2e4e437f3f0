package io.fendersec.emulator.scenario;

import java.util.List;

import io.fendersec.emulator.generate.LiveScenario;
import io.fendersec.emulator.generate.ScenarioInjector;

/** The labeled attacks; each shares its name with the built-in rule that must find it. */
public final class AttackScenarios {
    private AttackScenarios() {}

    public static List<ScenarioInjector> all() {
        List<ScenarioInjector> all = new java.util.ArrayList<>(List.of(new SecretInLog(), new RootJailbreak(),
                new TlsPinningDevice(), new TlsPinningFleet(), new BruteForce(), new CredentialStuffing(),
                new AccountManyDevices(), new BruteForceSuccess(), new ImpossibleTravel(), new ErrorSpike(),
                new AppTampering()));
        all.addAll(MobileScenarios.all()); // the mobile pack's signals and look-alikes (issue 30)
        return List.copyOf(all);
    }

    /**
     * The attacks that only happen while the emulator runs (not in {@code all}: a bounded read of
     * a past range never lists their logs, so {@code all} keeps full recall for bounded runs).
     */
    public static List<LiveScenario> live() {
        return List.of(new ClockSkew(), new ClockBehind());
    }
}
