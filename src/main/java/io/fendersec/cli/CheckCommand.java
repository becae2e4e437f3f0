package io.fendersec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fendersec.api.App;
import io.fendersec.api.ClientSettings;
import io.fendersec.api.HttpBugfenderApi;
import io.fendersec.api.LogQuery;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;
import io.fendersec.error.TerminalText;
import io.fendersec.job.SourceSpec;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec check JOB.yaml}: signs in with the job's {@code source} settings, lists the
 * apps it can see with their log counts for the range, and reports the clock skew. The quickest
 * way to find out whether key, allowlist and network are right before running a job.
 */
@Command(name = "check", description = "Sign in with the job's source settings, list the visible apps with their"
        + " log counts for the range, and report the clock skew.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec (only its source section is read).")
    Path job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SourceSpec source = SourceOnly.read(job, "check");
        ClientSettings settings = source.client;
        Instant now = Instant.now();
        Instant from = source.resolveFrom(now, now.minus(SourceSpec.DEFAULT_LOOKBACK));
        Instant to = source.resolveTo(now, now);
        List<String> wanted = source.settings.allApps() ? null : source.settings.appIds();
        try (HttpBugfenderApi api = HttpBugfenderApi.create(settings, null)) {
            api.signIn();
            out.printf("signed in to %s as %s (%s)%s%n", settings.baseUrl(), settings.auth().clientId(),
                    settings.auth().method().specName(),
                    settings.bindAddress() != null ? " from " + settings.bindAddress() : "");
            List<App> visible = api.apps();
            List<App> apps = select(visible, wanted);
            out.printf("%d app(s) visible; log counts from %s to %s:%n", visible.size(), from,
                    to == null ? "now" : to);
            for (App app : apps) {
                LogQuery q = LogQuery.builder(app.id(), from).to(to).build();
                // Ids and names are the server's text: printed with their control characters escaped.
                out.printf("  %-24s %-32s %d%n", TerminalText.line(app.id()), TerminalText.line(app.name()), api.count(q));
            }
            Duration skew = api.clockSkew();
            out.printf("clock skew: %s (server minus local, from the Date header)%s%n", seconds(skew),
                    skew.abs().compareTo(Duration.ofSeconds(30)) > 0 ? "; WARNING: fix this machine's clock (NTP)" : "");
        }
        out.flush();
        return ExitCode.OK;
    }

    private static List<App> select(List<App> visible, List<String> wanted) {
        if (wanted == null) {
            return visible;
        }
        Map<String, App> byId = visible.stream().collect(Collectors.toMap(App::id, Function.identity(), (a, b) -> a));
        List<App> out = new ArrayList<>();
        for (String id : wanted) {
            App a = byId.get(id);
            if (a == null) {
                throw new ConfigException("source.apps: app " + id + " is not visible to this account; visible: "
                        + TerminalText.line(byId.keySet().toString()));
            }
            out.add(a);
        }
        return out;
    }

    private static String seconds(Duration d) {
        return String.format("%+.1fs", d.toMillis() / 1000.0);
    }
}
