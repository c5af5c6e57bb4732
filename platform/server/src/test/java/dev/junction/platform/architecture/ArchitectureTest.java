package dev.junction.platform.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's shape, checked on its compiled main classes: features (the packages right below
 * {@code dev.junction.platform}) depend on each other in one direction only.
 */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.junction.platform");

    /** A cycle makes two features one: neither can change or be understood alone. */
    static ArchRule featuresFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void featurePackagesHaveNoCycles() {
        featuresFreeOfCycles("dev.junction.platform").check(SERVER);
    }

    @Test
    void aCycleBetweenTwoPackagesFailsTheRule() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.junction.platform.architecture.cyclefixture");
        AssertionError failure = assertThrows(AssertionError.class,
                () -> featuresFreeOfCycles("dev.junction.platform.architecture.cyclefixture").check(fixture));
        assertTrue(failure.getMessage().contains("Cycle detected: Slice left"), failure.getMessage());
    }
}
