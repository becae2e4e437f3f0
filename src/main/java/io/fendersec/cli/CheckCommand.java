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
import io.fendersec.api.ClientSettingsYaml;
import io.fendersec.api.HttpBugfenderApi;
import io.fendersec.api.LogQuery;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;

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
        JobSource js = JobSource.read(job);
        ClientSettings settings = ClientSettingsYaml.fromSource(js.source, js.dir());
        ClientSettingsYaml.Scope scope = ClientSettingsYaml.scope(js.source, Instant.now());
        try (HttpBugfenderApi api = HttpBugfenderApi.create(settings, null)) {
            api.signIn();
            out.printf("signed in to %s as %s (%s)%s%n", settings.baseUrl(), settings.auth().clientId(),
                    settings.auth().method().specName(),
                    settings.bindAddress() != null ? " from " + settings.bindAddress() : "");
            List<App> visible = api.apps();
            List<App> apps = select(visible, scope.apps());
            out.printf("%d app(s) visible; log counts from %s to %s:%n", visible.size(), scope.from(),
                    scope.to() == null ? "now" : scope.to());
            for (App app : apps) {
                LogQuery q = LogQuery.builder(app.id(), scope.from()).to(scope.to()).build();
                out.printf("  %-24s %-32s %d%n", app.id(), app.name(), api.count(q));
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
                        + byId.keySet());
            }
            out.add(a);
        }
        return out;
    }

    private static String seconds(Duration d) {
        return String.format("%+.1fs", d.toMillis() / 1000.0);
    }
}
