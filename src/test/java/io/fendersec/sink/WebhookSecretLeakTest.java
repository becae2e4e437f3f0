package io.fendersec.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.fendersec.auth.SecretRef;
import io.fendersec.cli.Main;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every webhook secret (URLs given as {@code ${file:}} references, the signing key) through every
 * error path the sink and {@code validate} can reach: a URL with an illegal character, another
 * scheme, a port out of range, user info, a refused connection, 5xx retries, a 4xx. Everything
 * printed, logged (DEBUG) or thrown (messages, causes, stack traces) is searched for any piece of
 * each secret.
 */
class WebhookSecretLeakTest {
    @TempDir
    Path dir;

    private final List<String> output = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();

    private SecretRef fileRef(String name, String secret, String... distinctive) throws Exception {
        secrets.add(secret);
        secrets.addAll(List.of(distinctive));
        return SecretRef.file(Files.writeString(dir.resolve(name), secret + "\n").toString());
    }

    private void sendOne(SecretRef url, SecretRef key) {
        WebhookSettings s = new WebhookSettings(url, key, WebhookSettings.Format.JSON, 2, Duration.ofMillis(1),
                Duration.ofSeconds(2));
        try (WebhookWriter w = new WebhookWriter(s)) {
            w.write(TestAlerts.alert(1, 1), null);
            output.add("delivered");
        } catch (Throwable t) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            output.add(trace.toString());
        }
    }

    @Test
    void noSecretReachesAnErrorALogLineOrTheTerminal() throws Exception {
        SecretRef key = fileRef("hmac", "whsec-K3y-s3cr3t-6f1a");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.sendResponseHeaders(calls.incrementAndGet() <= 2 ? 503 : 401, -1);
            ex.close();
        });
        receiver.start();
        int port = receiver.getAddress().getPort();
        List<SecretRef> urls = List.of(
                fileRef("illegal", "https://hooks.example.com/services/T0PSECRET1/B2|x y", "T0PSECRET1"),
                fileRef("scheme", "ftp://hooks.example.com/SECRET2path", "SECRET2path"),
                fileRef("port", "http://127.0.0.1:99999/SECRET3path", "SECRET3path"),
                fileRef("fragment", "https://hooks.example.com/SECRET4path#frag", "SECRET4path"),
                fileRef("userinfo", "https://hookuser:hookpass-5e@hooks.example.com/SECRET5path", "hookpass-5e", "SECRET5path"),
                fileRef("refused", "http://127.0.0.1:" + closed + "/SECRET7path?token=SECRET7q", "SECRET7path", "SECRET7q"),
                fileRef("answers", "http://127.0.0.1:" + port + "/hooks/SECRET6path?sig=SECRET6q", "SECRET6path", "SECRET6q"));

        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        List<String> logged = new CopyOnWriteArrayList<>();
        AbstractAppender appender = new AbstractAppender("leak-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringWriter trace = new StringWriter();
                if (event.getThrown() != null) {
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                }
                logged.add(event.getMessage().getFormattedMessage() + " " + trace);
            }
        };
        appender.start();
        cfg.addAppender(appender);
        cfg.getRootLogger().addAppender(appender, Level.ALL, null);
        // What --verbose does (our code at DEBUG), everything else at INFO. (HttpClient's own wire and
        // header DEBUG logs print request lines, as they would print any API token: an operator
        // who turns those on has asked for everything on the wire.)
        Level before = cfg.getRootLogger().getLevel();
        Level ours = cfg.getLoggerConfig("io.fendersec").getLevel();
        Configurator.setRootLevel(Level.INFO);
        Configurator.setLevel("io.fendersec", Level.DEBUG);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(terminal, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            for (SecretRef url : urls) {
                sendOne(url, key);
                // validate resolves the references and checks them, printing what is wrong.
                Path job = Files.writeString(dir.resolve("job.yaml"), "source:\n  emulator: {}\nsinks:\n  alerts:\n"
                        + "    - type: webhook\n      url: " + url + "\n      secret: " + key + "\n");
                output.add("validate exit " + Main.run("validate", job.toString()));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            Configurator.setRootLevel(before);
            Configurator.setLevel("io.fendersec", ours);
            cfg.getRootLogger().removeAppender("leak-capture");
            appender.stop();
            receiver.stop(0);
        }
        output.addAll(logged);
        output.add(terminal.toString(StandardCharsets.UTF_8));
        String all = String.join("\n", output);
        for (String secret : secrets) {
            assertThat(all).as("secret %s", secret).doesNotContain(secret);
        }
        // Every path was taken: each bad URL refused naming the setting, the good one retried then refused.
        assertThat(all).contains("cannot be used: it is not a valid URL", "it is not an http:// or https:// URL",
                "its port is above 65535", "it has a #fragment", "it has user:password@", "Connection refused", "HTTP 503", "HTTP 401");
        assertThat(calls.get()).isEqualTo(3);
        assertThat(all).doesNotContain("delivered");
    }
}
