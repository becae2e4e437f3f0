package io.fendersec.auth;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fendersec.error.ConfigException;

/**
 * A reference to a secret, resolved where it is used (on the TaskManager for the source), so the
 * secret itself never enters a job graph, a configuration or a log line.
 *
 * <p>Forms: {@code ${env:NAME}} (an environment variable) and {@code ${file:PATH}} (a file's
 * content, trailing newline removed). Job specs accept only these; {@link #literal} exists for
 * programmatic use and tests, and still never prints its value.
 */
public final class SecretRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern REF = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    /** How the secret is found. */
    public enum Kind { ENV, FILE, LITERAL }

    private final Kind kind;
    private final String target;

    private SecretRef(Kind kind, String target) {
        this.kind = kind;
        this.target = target;
    }

    /** True when {@code text} is exactly one {@code ${env:..}} or {@code ${file:..}} reference. */
    public static boolean isReference(String text) {
        return text != null && REF.matcher(text.trim()).matches();
    }

    /**
     * Parses a reference. {@code keyPath} names the setting in errors, e.g.
     * {@code source.auth.client-secret}.
     */
    public static SecretRef parse(String text, String keyPath) {
        Matcher m = text == null ? null : REF.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new ConfigException(keyPath + ": expected a secret reference ${env:NAME} or ${file:PATH},"
                    + " not the secret itself (secrets must not be written into job files)");
        }
        return new SecretRef("env".equals(m.group(1)) ? Kind.ENV : Kind.FILE, m.group(2).trim());
    }

    public static SecretRef env(String name) {
        return new SecretRef(Kind.ENV, Objects.requireNonNull(name));
    }

    public static SecretRef file(String path) {
        return new SecretRef(Kind.FILE, Objects.requireNonNull(path));
    }

    /** A secret given directly (tests, programmatic use). It is still never printed. */
    public static SecretRef literal(String secret) {
        return new SecretRef(Kind.LITERAL, Objects.requireNonNull(secret));
    }

    /** A {@code ${file:..}} reference with a relative path, resolved against {@code dir} (the job file's folder); others unchanged. */
    public SecretRef relativeTo(Path dir) {
        if (kind != Kind.FILE || dir == null || Path.of(target).isAbsolute()) {
            return this;
        }
        return new SecretRef(Kind.FILE, dir.resolve(target).normalize().toString());
    }

    public Kind kind() {
        return kind;
    }

    /** Reads the secret now. {@code keyPath} names the setting in errors. */
    public String resolve(String keyPath) {
        switch (kind) {
            case ENV: {
                String v = System.getenv(target);
                if (v == null || v.isEmpty()) {
                    throw new ConfigException(keyPath + ": environment variable " + target
                            + " is not set (referenced as ${env:" + target + "})");
                }
                return v;
            }
            case FILE:
                try {
                    return stripTrailingNewline(Files.readString(Path.of(target), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ConfigException(keyPath + ": cannot read secret file " + target + " ("
                            + e.getClass().getSimpleName() + ")");
                }
            default:
                return target;
        }
    }

    /** Checks, without keeping it, that the secret can be read: for {@code validate}. */
    public void checkResolvable(String keyPath) {
        resolve(keyPath);
    }

    private static String stripTrailingNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRef && ((SecretRef) o).kind == kind && ((SecretRef) o).target.equals(target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, target);
    }

    /** Shows where the secret comes from, never the secret. */
    @Override
    public String toString() {
        switch (kind) {
            case ENV:
                return "${env:" + target + "}";
            case FILE:
                return "${file:" + target + "}";
            default:
                return "<redacted>";
        }
    }
}
