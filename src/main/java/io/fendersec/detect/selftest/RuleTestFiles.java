package io.fendersec.detect.selftest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fendersec.detect.load.BuiltinPack;
import io.fendersec.detect.files.RuleFiles;
import io.fendersec.detect.files.TextFiles;
import io.fendersec.error.ConfigException;

/** Finds and reads the tests beside rule files: {@code NAME.tests.yml} for {@code NAME.yml} ({@link RuleFiles#testsOf}). */
public final class RuleTestFiles {
    private RuleTestFiles() {}

    /** Each rule file with its tests, in the order given; a rule file without tests has no cases. */
    public static List<RuleTestFile> of(List<Path> ruleFiles) {
        List<RuleTestFile> out = new ArrayList<>();
        for (Path rule : ruleFiles) {
            Path tests = RuleFiles.testsOf(rule);
            if (!Files.isRegularFile(tests)) {
                out.add(new RuleTestFile(rule.toString(), null, List.of()));
                continue;
            }
            String text;
            try {
                text = TextFiles.readRuleText(tests, "tests file");
            } catch (IOException e) {
                throw new ConfigException(tests + ": cannot read tests file: " + e.getMessage(), e);
            }
            out.add(new RuleTestFile(rule.toString(), tests.toString(), RuleTestReader.read(tests.toString(), text)));
        }
        return out;
    }

    /** The built-in pack's rule files with their tests, shipped beside them in the jar. */
    public static List<RuleTestFile> builtin() {
        List<RuleTestFile> out = new ArrayList<>();
        for (String file : BuiltinPack.files()) {
            String testsName = RuleFiles.testsOf(Path.of(file)).toString();
            String text = BuiltinPack.optionalResource(testsName);
            String source = "builtin:" + testsName;
            out.add(text == null ? new RuleTestFile("builtin:" + file, null, List.of())
                    : new RuleTestFile("builtin:" + file, source, RuleTestReader.read(source, text)));
        }
        return out;
    }
}
