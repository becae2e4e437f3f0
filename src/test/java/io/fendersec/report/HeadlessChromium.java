package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} in headless mode, one process per page load. {@code --dump-dom}
 * prints the DOM after the load event, so the page's synchronous script has run: the process
 * ending is the synchronization, no sleeps.
 */
final class HeadlessChromium {
    /** No sandbox (CI runs as root), no GPU, and nothing that calls out: the page must render offline. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage");

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /**
     * The browser on PATH. Absent, the test fails rather than skips: CI installs it in .ci/run,
     * and a skipped browser test would let a broken page through unnoticed.
     */
    static HeadlessChromium find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p);
                }
            }
        }
        return fail("chromium is not installed: the report page test needs a real headless browser. "
                + "Install Debian's chromium (apt-get update && apt-get install -y chromium); .ci/run does this in CI.");
    }

    /** The DOM after the page's scripts ran. {@code url} may carry a hash (#sort=-count). */
    String dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** The page at {@code url} in a browser driven over DevTools (clicks, DOM, screenshots); close it. */
    ChromiumPage page(String url, int width, int height) throws Exception {
        return ChromiumPage.open(binary, FLAGS, url, width, height);
    }

    static void deleteTreeQuietly(Path root) {
        deleteTree(root);
    }

    void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url));
        assertThat(png).as("screenshot written").exists();
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        // A fresh profile each time: no state carried between loads, nothing left in the user's profile.
        Path profile = Files.createTempDirectory("fendersec-chromium-");
        Path out = profile.resolveSibling(profile.getFileName() + ".out");
        Path err = profile.resolveSibling(profile.getFileName() + ".err");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(binary.toString());
            cmd.addAll(FLAGS);
            cmd.add("--user-data-dir=" + profile);
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("chromium did not finish within 120 s: " + tail(err));
            }
            assertThat(p.exitValue()).as("chromium exit code; stderr: %s", tail(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    private static String tail(Path f) throws IOException {
        String s = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    /** Best effort: a browser helper process may still be closing files in the profile; a leftover temp dir is harmless. */
    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // left for the system's temp cleaner
        }
    }
}
