package io.fendersec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.detect.normalize.Normalizer;
import io.fendersec.detect.normalize.SecretRedactor;
import io.fendersec.job.JobSpec;
import io.fendersec.job.JobSpecReader;
import io.fendersec.model.Alert;
import io.fendersec.report.AlertDetails;
import io.fendersec.report.AlertFiles;
import io.fendersec.report.ArchiveTimeline;
import io.fendersec.report.DashboardLinks;
import io.fendersec.report.AlertReport;
import io.fendersec.report.HtmlReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fendersec report}: one self-contained HTML page from alert JSON lines. */
@Command(name = "report", description = "Write one self-contained HTML page (opens offline) from alert JSON lines: "
        + "alerts over time by rule, severity, top apps and devices, a sortable, filterable alert table, and the "
        + "ATT&CK and MASVS coverage of the rules in force (--job, else the built-in pack). "
        + "Folders are searched for committed part files (part-*) and .jsonl files; in-progress files (.*) are skipped. "
        + "Lines that are not alerts are counted and listed, never fatal.")
final class ReportCommand implements Callable<Integer> {
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_FILE =
            PosixFilePermissions.fromString("rw-------");
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_DIR =
            PosixFilePermissions.fromString("rwx------");

    /** Whether {@code dir}'s file system has POSIX modes (not so on Windows). */
    private static boolean posix(Path dir) {
        Path d = dir == null ? Path.of("").toAbsolutePath() : dir;
        while (d != null && !Files.exists(d)) {
            d = d.getParent();
        }
        return d != null && d.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** How many bad lines the terminal shows; the page lists more. */
    private static final int PRINTED_BAD_LINES = 5;

    @Parameters(arity = "1..*", paramLabel = "ALERTS_DIR_OR_FILE", description = "Alert folders (as a job's file sink writes them) or alert JSON-lines files.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "The page to write.")
    Path out;

    @Option(names = "--permissions", defaultValue = "private", paramLabel = "private|umask", description = "private "
            + "(default): the page is owner-only (0600) and folders it creates 0700, as it shows what the alerts hold "
            + "(accounts, addresses, log text); umask: the process umask decides.")
    String permissions;

    @Option(names = "--title", defaultValue = "Fendersec alert report", description = "Page title (default: ${DEFAULT-VALUE}).")
    String title;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "How many apps and devices to rank (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--job", paramLabel = "JOB.yaml", description = "The job file that wrote the alerts: the Coverage "
            + "section shows its rules (default: the built-in pack), its sinks.archive.path gives the device timelines, "
            + "report.dashboard-url the Bugfender links, and its normalize section the secret patterns redacted from "
            + "every text shown.")
    Path job;

    @Option(names = "--archive", paramLabel = "DIR", description = "The job's raw-log archive (sinks.archive.path): "
            + "the device timeline around an opened alert comes from it (default: the --job file's; without one, "
            + "from the alerts' evidence_logs).")
    Path archive;

    @Option(names = "--dashboard-url", paramLabel = "TEMPLATE", description = "Bugfender dashboard link template with "
            + "{app}, {device}, {log}, http(s) only (default: the --job file's report.dashboard-url).")
    String dashboardUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new ConfigException("report: --top must be at least 1, got " + top);
        }
        if (Files.isDirectory(out)) {
            throw new ConfigException("report: --out " + out + " is a folder; name the HTML file to write, e.g. "
                    + out.resolve("report.html"));
        }
        JobSpec jobSpec = job == null ? null : new JobSpecReader().read(job);
        DashboardLinks links = dashboardUrl != null ? DashboardLinks.parse(dashboardUrl, "report: --dashboard-url")
                : jobSpec != null ? jobSpec.dashboard : null;
        Path archiveDir = archive != null ? archive
                : jobSpec != null && jobSpec.sinks.archivePath != null ? Path.of(jobSpec.sinks.archivePath) : null;
        SecretRedactor redactor = SecretRedactor.of(jobSpec != null ? jobSpec.normalize.compile() : Normalizer.defaults());

        AlertFiles.Input input = AlertFiles.read(AlertFiles.find(inputs));
        RulesInForce rules = jobSpec == null ? RulesInForce.builtin() : RulesInForce.of(jobSpec);
        AlertReport report = AlertReport.of(title, input, top, Instant.now())
                .withCoverage(rules.coverage(), job == null ? "the built-in pack" : "the rules of job " + job);
        ArchiveTimeline timeline = archiveDir == null ? null : ArchiveTimeline.read(archiveDir, devices(input.alerts()));
        write(HtmlReport.render(report, AlertDetails.of(input.alerts(), timeline, redactor::redact, links)));

        PrintWriter err = spec.commandLine().getErr();
        if (input.files().isEmpty()) {
            err.println("fendersec: report: no alert files (part-* or *.jsonl) under " + inputs
                    + "; the page says no alerts. Has the job committed any (part files appear at checkpoints)?");
        }
        if (input.badLineCount() > 0) {
            err.println("fendersec: report: skipped " + input.badLineCount() + " line(s) that are not alerts:");
            input.badLines().stream().limit(PRINTED_BAD_LINES).forEach(b -> err.println("  " + TerminalText.line(b.toString())));
            if (input.badLineCount() > PRINTED_BAD_LINES) {
                err.println("  … (the page lists up to " + input.badLines().size() + ")");
            }
        }
        err.flush();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("report: %d alerts, %d rules, from %d file(s) -> %s%n", report.totals().alerts(),
                report.totals().rules(), report.totals().files(), out);
        o.flush();
        return ExitCode.OK;
    }

    /** The (app, device) keys whose archived logs the timelines need. */
    private static Set<String> devices(List<Alert> alerts) {
        Set<String> out = new HashSet<>();
        for (Alert a : alerts) {
            String d = AlertDetails.deviceOf(a);
            if (d != null) {
                out.add(ArchiveTimeline.key(a.app(), d));
            }
        }
        return out;
    }

    private void write(String html) {
        if (!permissions.equals("private") && !permissions.equals("umask")) {
            throw new ConfigException("report: --permissions expected private or umask, got '"
                    + io.fendersec.error.TerminalText.line(permissions) + "'");
        }
        boolean ownerOnly = permissions.equals("private");
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                if (ownerOnly && posix(parent)) {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                } else {
                    Files.createDirectories(parent);
                }
            }
            if (ownerOnly && posix(parent)) {
                // Created owner-only, never readable by others for a moment; an existing page is tightened first.
                if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(out, OWNER_FILE);
                } else {
                    Files.createFile(out, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                }
            }
            Files.writeString(out, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("report: cannot write " + out + " (" + e + "); choose a writable --out path", e);
        }
    }
}
