package io.fendersec.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code fendersec emulator}: placeholder until the emulator lands (issue 2). */
@Command(name = "emulator", description = "Serve an offline Bugfender API emulator.")
final class EmulatorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("the emulator is not built yet");
    }
}
