package io.fendersec.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layers of docs/architecture.md, so that a wrong import fails the build:
 * {@code cli → job → {source, detect, sink, report, emulator} → api → {model, auth} → error}.
 * A layer may use any layer below it, never one above it or a sibling; the emulator shares only
 * {@code model} and {@code error} with the client side, so that a bug on one side is not hidden
 * by the same code on the other. Main code only: tests may reach across layers.
 */
@AnalyzeClasses(packages = "io.fendersec", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
    private static final String[] CLIENT_SIDE = {"cli", "job", "source", "detect", "sink", "report"};

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("io.fendersec.cli..")
            .layer("job").definedBy("io.fendersec.job..")
            .layer("source").definedBy("io.fendersec.source..")
            .layer("detect").definedBy("io.fendersec.detect..")
            .layer("sink").definedBy("io.fendersec.sink..")
            .layer("report").definedBy("io.fendersec.report..")
            .layer("emulator").definedBy("io.fendersec.emulator..")
            .layer("api").definedBy("io.fendersec.api..")
            .layer("model").definedBy("io.fendersec.model..")
            .layer("auth").definedBy("io.fendersec.auth..")
            .layer("error").definedBy("io.fendersec.error..")

            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("job").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("source").mayOnlyBeAccessedByLayers("cli", "job")
            .whereLayer("detect").mayOnlyBeAccessedByLayers("cli", "job")
            .whereLayer("sink").mayOnlyBeAccessedByLayers("cli", "job")
            .whereLayer("report").mayOnlyBeAccessedByLayers("cli", "job")
            .whereLayer("emulator").mayOnlyBeAccessedByLayers("cli", "job")
            .whereLayer("api").mayOnlyBeAccessedByLayers(CLIENT_SIDE)
            .whereLayer("model").mayOnlyBeAccessedByLayers(with(CLIENT_SIDE, "emulator", "api"))
            .whereLayer("auth").mayOnlyBeAccessedByLayers(with(CLIENT_SIDE, "api"))
            .whereLayer("error").mayOnlyBeAccessedByLayers(with(CLIENT_SIDE, "emulator", "api", "model", "auth"))
            .ensureAllClassesAreContainedInArchitecture()
            .because("imports run one way (docs/architecture.md)");

    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices().matching("io.fendersec.(*)..")
            .should().beFreeOfCycles();

    /**
     * Inside detect: the rule model does not know its readers or the engine that runs it, the
     * readers do not know the engine, and the rooms form no cycle (docs/architecture.md).
     */
    @ArchTest
    static final ArchRule ruleModelKnowsNoReader = noClasses().that().resideInAPackage("io.fendersec.detect.rule..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fendersec.detect.load..",
                    "io.fendersec.detect.engine..", "io.fendersec.detect.reload..", "io.fendersec.detect.selftest..",
                    "io.fendersec.detect.pipeline..", "io.fendersec.detect.files..")
            .because("the rule model is built by detect/load and run by detect/engine, never the reverse");

    @ArchTest
    static final ArchRule readersKnowNoEngine = noClasses().that().resideInAPackage("io.fendersec.detect.load..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fendersec.detect.engine..",
                    "io.fendersec.detect.reload..", "io.fendersec.detect.selftest..")
            .because("readers build rules; the engine, the rule watch and the self-test use them");

    @ArchTest
    static final ArchRule noClassesAtDetectRoot = noClasses().should().resideInAPackage("io.fendersec.detect")
            .because("detect is sorted into rooms (docs/architecture.md)");

    @ArchTest
    static final ArchRule detectRoomsFreeOfCycles = slices().matching("io.fendersec.detect.(*)..")
            .should().beFreeOfCycles();

    private static String[] with(String[] layers, String... more) {
        String[] all = java.util.Arrays.copyOf(layers, layers.length + more.length);
        System.arraycopy(more, 0, all, layers.length, more.length);
        return all;
    }
}
