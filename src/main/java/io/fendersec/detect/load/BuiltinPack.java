package io.fendersec.detect.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fendersec.error.ConfigException;

/**
 * The built-in rule pack: Sigma YAML shipped in the jar under {@code rules/}, listed by
 * {@code rules/index.txt}; beside each rule file its examples ({@code NAME.tests.yml}, see
 * {@link io.fendersec.detect.selftest.RuleTestFile}), which are not listed and never load as rules.
 */
public final class BuiltinPack {
    /** Lists the pack's files, one resource name per line (relative to {@code rules/}). */
    static final String INDEX = "rules/index.txt";

    private BuiltinPack() {}

    /**
     * The texts of the chosen rule files, by source name ({@code builtin:FILE}): {@code all} for the
     * whole pack, or rule file names with or without extension.
     */
    static Map<String, String> read(List<String> names) {
        Map<String, String> texts = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return texts;
        }
        List<String> index = index();
        for (String n : names) {
            List<String> chosen = n.equals("all") ? index
                    : index.stream().filter(f -> f.equals(n + ".yml") || f.equals(n + ".yaml") || f.equals(n)).toList();
            if (chosen.isEmpty() && !n.equals("all")) {
                throw new ConfigException("rules.builtin: no built-in rule '" + n + "' (known: " + index + ")");
            }
            for (String f : chosen) {
                texts.put("builtin:" + f, resource("rules/" + f));
            }
        }
        return texts;
    }

    /** The pack's rule files, as the index lists them (relative to {@code rules/}). */
    public static List<String> files() {
        return index();
    }

    /** The text of a pack resource ({@code rules/NAME}), or null when the jar has none. */
    public static String optionalResource(String name) {
        try (InputStream in = BuiltinPack.class.getClassLoader().getResourceAsStream("rules/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read built-in resource rules/" + name + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = BuiltinPack.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException("built-in rule file " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read built-in rule " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<String> index() {
        try (InputStream in = BuiltinPack.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String line : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + INDEX + ": " + e.getMessage(), e);
        }
    }
}
