package io.fendersec.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.fendersec.api.ClientSettings;
import io.fendersec.api.ClientSettingsYaml;
import io.fendersec.api.HttpBugfenderApi;
import io.fendersec.auth.AuthSettings;
import io.fendersec.error.ConfigException;
import io.fendersec.error.ExitCode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fendersec login JOB.yaml}: the out-of-band authorization code flow of an integration.
 * Prints the authorize URL, reads the code the user copies from that page (or {@code --code}),
 * exchanges it, and stores the refresh token in {@code source.auth.refresh-token-file}.
 */
@Command(name = "login", description = "Authorize an integration (method refresh-token): print the authorize URL,"
        + " read the code, store the refresh token in source.auth.refresh-token-file.")
final class LoginCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec (only its source section is read).")
    Path job;

    @Option(names = "--code", description = "The authorization code (otherwise read from standard input).")
    String code;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        JobSource js = JobSource.read(job);
        ClientSettings settings = ClientSettingsYaml.fromSource(js.source, js.dir());
        if (settings.auth().method() != AuthSettings.Method.REFRESH_TOKEN) {
            throw new ConfigException("source.auth.method: login is for integrations (method refresh-token), this job"
                    + " uses " + settings.auth().method().specName() + ", which needs no login");
        }
        try (HttpBugfenderApi api = HttpBugfenderApi.create(settings, null)) {
            String c = code;
            if (c == null) {
                out.println("Open this URL, approve the integration, and paste the code shown:");
                out.println("  " + HttpBugfenderApi.authorizeUrl(settings));
                out.print("code: ");
                out.flush();
                c = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            api.exchangeAuthorizationCode(c);
            out.println("refresh token saved to " + settings.auth().refreshTokenFile());
            out.flush();
        }
        return ExitCode.OK;
    }
}
