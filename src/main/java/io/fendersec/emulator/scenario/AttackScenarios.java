package io.fendersec.emulator.scenario;

import java.util.List;

import io.fendersec.emulator.generate.ScenarioInjector;

/** The labeled attacks; each shares its name with the built-in rule that must find it. */
public final class AttackScenarios {
    private AttackScenarios() {}

    public static List<ScenarioInjector> all() {
        return List.of(new SecretInLog(), new RootJailbreak(), new TlsPinningDevice(), new TlsPinningFleet(),
                new BruteForce(), new CredentialStuffing(), new AccountManyDevices(), new BruteForceSuccess(),
                new ImpossibleTravel(), new ErrorSpike(), new AppTampering());
    }
}
