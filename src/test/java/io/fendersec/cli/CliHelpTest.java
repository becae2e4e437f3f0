package io.fendersec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/** Every command and subcommand, at any depth, answers --help with its usage and examples. */
class CliHelpTest {

    /** The qualified names of all commands below the root, found by walking the real tree. */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        collect(Main.commandLine(), names);
        return names.stream();
    }

    private static void collect(CommandLine cl, List<String> names) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            names.add(sub.getCommandSpec().qualifiedName(" "));
            collect(sub, names);
        }
    }

    @Test
    void theTreeHasTheNestedRulesCommands() {
        assertThat(commands()).contains("fendersec rules", "fendersec rules list", "fendersec rules test",
                "fendersec run", "fendersec login", "fendersec emulator");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpPrintsUsageAndExamplesAndExitsZero(String qualified) {
        List<String> args = new ArrayList<>(List.of(qualified.split(" ")).subList(1, qualified.split(" ").length));
        args.add("--help");
        RulesCommandTest.Result run = RulesCommandTest.run(args.toArray(String[]::new));

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: " + qualified).contains("Examples:");
        // Each command shows its own examples first, not only its parent's; every line is a command.
        List<String> examples = run.out().substring(run.out().indexOf("Examples:")).lines().skip(1)
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        assertThat(examples).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("(fendersec|flink run) .*"));
        assertThat(examples.get(0) + " ").startsWith(qualified + " ");
    }

    @Test
    void versionNamesFendersecFlinkAndJava() {
        RulesCommandTest.Result run = RulesCommandTest.run("--version");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("fendersec ").contains("Apache Flink 2.3.0").contains("Java 17");
        assertThat(RulesCommandTest.run("rules", "test", "--version").out()).contains("Apache Flink 2.3.0");
    }
}
