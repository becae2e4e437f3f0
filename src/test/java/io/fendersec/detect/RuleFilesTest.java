package io.fendersec.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fendersec.error.ConfigException;
import io.fendersec.detect.files.RuleFiles;
import io.fendersec.detect.load.RuleLoader;
import io.fendersec.detect.rule.RuleSet;

/** The one dialect of rule file patterns (docs/rules.md, "Rule files"). */
class RuleFilesTest {
    private static final String RULE = "title: %s\nname: %s\ndetection: {sel: {message: x}, condition: sel}\n";

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(dir.resolve("rules/extra"));
        for (String f : new String[] {"rules/b.yml", "rules/a.yaml", "rules/notes.txt", "rules/extra/c.yml", "rules/d.sql"}) {
            Files.writeString(dir.resolve(f), RULE.formatted(f, f.replaceAll("\\W", "-")));
        }
    }

    private List<Path> expand(String pattern) {
        return RuleFiles.expand(dir, pattern, RuleFiles.SIGMA);
    }

    /** A rule's examples (docs/rules.md, "Tests inside rules") sit beside it and must never load as rules. */
    @Test
    void foldersAndGlobsLeaveTestsFilesOut() throws Exception {
        Files.writeString(dir.resolve("rules/b.tests.yml"), "tests: []\n");
        Files.writeString(dir.resolve("rules/a.tests.yaml"), "tests: []\n");
        assertThat(expand("rules")).containsExactly(dir.resolve("rules/a.yaml"), dir.resolve("rules/b.yml"));
        assertThat(expand("rules/*.{yml,yaml}")).containsExactly(dir.resolve("rules/a.yaml"), dir.resolve("rules/b.yml"));
        assertThat(expand("rules/**.yml")).containsExactly(dir.resolve("rules/b.yml"), dir.resolve("rules/extra/c.yml"));
        assertThat(RuleFiles.testsOf(dir.resolve("rules/b.yml"))).isEqualTo(dir.resolve("rules/b.tests.yml"));
        assertThat(RuleFiles.testsOf(dir.resolve("rules/a.yaml"))).isEqualTo(dir.resolve("rules/a.tests.yaml"));
    }

    @Test
    void aFileIsItself() {
        assertThat(expand("rules/b.yml")).containsExactly(dir.resolve("rules/b.yml"));
        assertThat(expand(dir.resolve("rules/b.yml").toString())).containsExactly(dir.resolve("rules/b.yml"));
    }

    @Test
    void aFolderIsItsRuleFilesSortedWithoutSubfolders() {
        assertThat(expand("rules")).containsExactly(dir.resolve("rules/a.yaml"), dir.resolve("rules/b.yml"));
        assertThat(RuleFiles.expand(dir, "rules", RuleFiles.SQL)).containsExactly(dir.resolve("rules/d.sql"));
    }

    @Test
    void globsMatchWithinANameOrAcrossFoldersWithDoubleStar() {
        assertThat(expand("rules/*.yml")).containsExactly(dir.resolve("rules/b.yml"));
        assertThat(expand("rules/*.{yml,yaml}")).containsExactly(dir.resolve("rules/a.yaml"), dir.resolve("rules/b.yml"));
        assertThat(expand("rules/**.yml")).containsExactly(dir.resolve("rules/b.yml"), dir.resolve("rules/extra/c.yml"));
        assertThat(expand("rules/*/*.yml")).containsExactly(dir.resolve("rules/extra/c.yml"));
        assertThat(expand("rules/[ab].*")).containsExactly(dir.resolve("rules/a.yaml"), dir.resolve("rules/b.yml"));
        assertThat(expand("*/b.yml")).containsExactly(dir.resolve("rules/b.yml"));
    }

    @Test
    void theBaseFolderIsTakenLiterallyEvenWithGlobCharactersInItsName() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("jobs[1]/{a}"));
        Files.writeString(odd.resolve("r.yml"), "x");
        assertThat(RuleFiles.expand(odd, "*.yml", RuleFiles.SIGMA)).containsExactly(odd.resolve("r.yml"));
    }

    @Test
    void whatNamesNothingIsAnErrorNamingThePattern() {
        assertThatThrownBy(() -> expand("rules/*.json")).isInstanceOf(ConfigException.class)
                .hasMessage("'rules/*.json' matches no file (looked in " + dir.resolve("rules") + ")");
        assertThatThrownBy(() -> expand("nope.yml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("file " + dir.resolve("nope.yml") + " does not exist");
        assertThatThrownBy(() -> expand("rules/extra/../../[")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not a valid file name or glob");
        assertThatThrownBy(() -> RuleFiles.expand(dir, "rules/extra", RuleFiles.SQL)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds no .sql file");
    }

    @Test
    void theRulesCommandReadsTheSameDialectFromTheWorkingDirectory() {
        RuleSet rules = RuleLoader.create().files(List.of(dir + "/rules/**.yml")).load();
        assertThat(rules.rules().keySet()).containsExactly("rules-b-yml", "rules-extra-c-yml");
        assertThatThrownBy(() -> RuleLoader.create().files(List.of(dir + "/none/*.yml")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("rules: '" + dir + "/none/*.yml' matches no file");
    }
}
