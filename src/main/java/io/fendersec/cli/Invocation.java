package io.fendersec.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the user started Fendersec, so that a printed follow-up command ("next: ...") can be pasted
 * into the same shell, in the same folder, and work.
 */
final class Invocation {
    /** Set by the {@code ./fendersec} launcher script to the path it was called by. */
    static final String LAUNCHER_ENV = "FENDERSEC_COMMAND";

    private Invocation() {}

    /** The command prefix for the current process, as seen from the working directory. */
    static String command() {
        return command(System.getenv(), Path.of("").toAbsolutePath(), runningJar());
    }

    /**
     * The launcher's own words when it set them; else {@code java -jar JAR} with the jar's path
     * relative to {@code cwd} when it lies below it (as typed from a clone) and absolute otherwise;
     * {@code fendersec} when not running from a jar at all (an IDE, tests).
     */
    static String command(Map<String, String> env, Path cwd, Path jar) {
        String launcher = env.get(LAUNCHER_ENV);
        if (launcher != null && !launcher.isBlank()) {
            return launcher.strip();
        }
        if (jar == null) {
            return "fendersec";
        }
        Path abs = jar.toAbsolutePath().normalize();
        Path shown = abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
        return "java -jar " + shellWord(shown.toString());
    }

    private static Path runningJar() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    /** Quotes a path for a POSIX shell when it holds anything but plain path characters. */
    static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
