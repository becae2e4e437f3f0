package io.fendersec.detect.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/taxonomy.md and the code agree: the first column of its two tables lists exactly the log
 * fields and the default extractors' fields. Mutation caught: a field added to the defaults (or the
 * API record) and not published, or a documented field that no code writes.
 */
class BugfenderFieldsDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    static Set<String> section(List<String> lines, String heading) {
        Set<String> out = new LinkedHashSet<>();
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith("## ")) {
                in = l.startsWith(heading);
                continue;
            }
            Matcher m = ROW.matcher(l);
            if (in && m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void theTaxonomyPageListsExactlyTheFieldsTheCodeMakes() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/taxonomy.md"));
        assertThat(section(lines, "## Fields of every log")).containsExactlyInAnyOrderElementsOf(BugfenderFields.logFields());
        assertThat(section(lines, "## Fields the default extractors"))
                .containsExactlyInAnyOrderElementsOf(BugfenderFields.defaultExtracted());
    }

    /** Every target of builtin:ecs is in the taxonomy. Mutation caught: a built-in mapping onto a field no log has. */
    @Test
    void builtinEcsMapsOnlyOntoTaxonomyFields() {
        Set<String> known = BugfenderFields.logFields();
        known.addAll(BugfenderFields.defaultExtracted());
        ProcessingPipeline ecs = Pipelines.read("builtin:ecs", Path.of(""));
        FieldNameMapping m = (FieldNameMapping) ecs.items().get(0).transformation();
        assertThat(m.targets()).isSubsetOf(known);
    }
}
