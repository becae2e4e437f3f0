package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InvocationTest {
    private static final Path CLONE = Path.of("/home/ana/fendersec");

    @Test
    void theLauncherIsRepeatedAsTheUserTypedIt() {
        assertThat(Invocation.command(Map.of("FENDERSEC_COMMAND", "./fendersec"), CLONE,
                CLONE.resolve("target/fendersec.jar"))).isEqualTo("./fendersec");
    }

    @Test
    void aJarBelowTheWorkingFolderIsShownRelativeToIt() {
        assertThat(Invocation.command(Map.of(), CLONE, CLONE.resolve("target/fendersec.jar")))
                .isEqualTo("java -jar target/fendersec.jar");
    }

    @Test
    void aJarElsewhereIsShownAbsoluteAndQuotedForTheShell() {
        assertThat(Invocation.command(Map.of(), Path.of("/tmp/run"), Path.of("/opt/fender sec/fendersec.jar")))
                .isEqualTo("java -jar '/opt/fender sec/fendersec.jar'");
        assertThat(Invocation.command(Map.of(), Path.of("/tmp/run"), CLONE.resolve("target/fendersec.jar")))
                .isEqualTo("java -jar /home/ana/fendersec/target/fendersec.jar");
    }

    @Test
    void withoutAJarTheCommandIsItsName() {
        assertThat(Invocation.command(Map.of(), CLONE, null)).isEqualTo("fendersec");
    }
}
