package io.fendersec.cli;

import io.fendersec.error.ExitCode;
import io.fendersec.error.FendersecException;
import io.fendersec.error.TerminalText;

import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code fendersec} command: a thin entry point, each subcommand a small class. */
@Command(
        name = "fendersec",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        // Examples for every command and subcommand, in one place (keys by qualified command name).
        resourceBundle = "io.fendersec.cli.Usage",
        description = "Security analytics for Bugfender logs on Apache Flink.",
        subcommands = {EmulatorCommand.class, CheckCommand.class, LoginCommand.class, RunCommand.class, DemoCommand.class,
            ValidateCommand.class, RulesCommand.class, ReportCommand.class, HuntCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (for a bounded run: no alerts)",
            "1:a bounded run finished and found alerts",
            "2:configuration error",
            "3:authentication or authorization refused (allowlist included)",
            "4:network failure",
            "5:the job failed"
        })
public final class Main implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Log at DEBUG level (secrets are never logged).")
    void verbose(boolean verbose) {
        if (verbose) {
            Configurator.setLevel("io.fendersec", Level.DEBUG);
            // Quiet runs end a reader failure with one line; the fetcher's trace of it is for --verbose.
            Configurator.setLevel(SPLIT_FETCHER_MANAGER, Level.ERROR);
            // ... and so does a Flink thread's fatal error (the guard in ProcessExit prints its line)
            Configurator.setLevel(FATAL_EXIT_HANDLER, Level.ERROR);
        }
    }

    /** Logs a failed source reader's exception with its whole trace (off in log4j2.xml). */
    static final String SPLIT_FETCHER_MANAGER = "org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager";

    /** Logs a Flink thread's fatal error with a dump of every thread before exiting -17 (off in log4j2.xml). */
    static final String FATAL_EXIT_HANDLER = "org.apache.flink.util.FatalExitExceptionHandler";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        ProcessExit.main(() -> run(args));
    }

    /**
     * Runs the command line and returns the exit code instead of exiting (used by tests). An
     * {@link Error} that escapes a command (picocli catches only exceptions) is one line and exit 5.
     */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } catch (Throwable t) {
            return ProcessExit.report(t, cl.getErr());
        }
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        addHelpOptions(cl);
        cl.setExecutionExceptionHandler(Main::handleException);
        // Wrong flags or arguments are configuration errors.
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("fendersec: " + TerminalText.lines(ex.getMessage()));
            return ExitCode.CONFIG;
        });
        return cl;
    }

    /**
     * Every subcommand, at any depth, answers {@code --help} and {@code --version}: set here once
     * rather than on each annotation, so a new subcommand cannot forget it.
     */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().mixinStandardHelpOptions(true);
            if (sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(new Version());
            }
            addHelpOptions(sub);
        }
    }

    /**
     * Errors a user can act on print one line and map to their exit code; anything else is a
     * failed job (exit 5), printed with its cause chain but no stack trace unless --verbose.
     * Messages may quote a server's or a device's text, so control characters are escaped.
     */
    private static int handleException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        if (ex instanceof FendersecException) {
            cl.getErr().println("fendersec: " + TerminalText.lines(ex.getMessage()));
            if (ex.getCause() != null && org.apache.logging.log4j.LogManager.getLogger("io.fendersec").isDebugEnabled()) {
                ex.printStackTrace(cl.getErr()); // --verbose: the underlying error in full (a YAML parser's own text, ...)
            }
            return ((FendersecException) ex).exitCode();
        }
        cl.getErr().println("fendersec: failed: " + TerminalText.lines(String.valueOf(ex)));
        if (org.apache.logging.log4j.LogManager.getLogger("io.fendersec").isDebugEnabled()) {
            ex.printStackTrace(cl.getErr());
        }
        return ExitCode.JOB_FAILED;
    }

    /** Prints the version from the jar's manifest, and the Flink and Java versions it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "fendersec " + (v == null ? "dev" : v),
                "Apache Flink " + EnvironmentInformation.getVersion(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
