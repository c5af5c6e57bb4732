package dev.junction.platform.architecture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.junction.platform.PlatformJson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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

    /**
     * Annotations that make a class an entry point Micronaut or the launcher reaches from outside
     * the package (routes, bean factories, HTTP filters, the main class's command line), so it may
     * be public although no other package names it.
     */
    private static final List<String> ENTRY_POINTS = List.of("io.micronaut.http.annotation.Controller",
            "io.micronaut.context.annotation.Factory", "io.micronaut.http.annotation.Filter",
            "io.micronaut.http.annotation.ServerFilter", "picocli.CommandLine$Command");

    /**
     * Public without another package using it, in the packages another change rebuilds (eventlog,
     * ingest, webhook): to be made package-private there.
     */
    private static final Set<String> PUBLIC_FOR_NOW = Set.of("dev.junction.platform.eventlog.EventLogMaintenance",
            "dev.junction.platform.eventlog.EventQuery", "dev.junction.platform.eventlog.EventRecord",
            "dev.junction.platform.eventlog.EventView", "dev.junction.platform.ingest.HttpSource",
            "dev.junction.platform.ingest.HttpSourceService", "dev.junction.platform.ingest.TrackedMessage",
            "dev.junction.platform.webhook.WebhookService");

    /** {@code public} says "other packages use this": a public class nobody outside uses says something false. */
    static ArchRule publicOnlyWhereAnotherPackageUsesIt(String root) {
        ArchCondition<JavaClass> usedElsewhere = new ArchCondition<>("be used from another package, or be an entry point") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                boolean entryPoint = ENTRY_POINTS.stream().anyMatch(item::isAnnotatedWith);
                // a use of a nested class (Problem.FieldError) needs the class around it public too
                boolean usedElsewhere = item.getPackage().getClasses().stream()
                        .filter(c -> c.equals(item) || c.getName().startsWith(item.getName() + "$"))
                        .flatMap(c -> c.getDirectDependenciesToSelf().stream())
                        .map(Dependency::getOriginClass)
                        .anyMatch(origin -> !origin.getPackageName().equals(item.getPackageName()));
                if (!entryPoint && !usedElsewhere && !PUBLIC_FOR_NOW.contains(item.getName())) {
                    events.add(SimpleConditionEvent.violated(item, item.getName() + " is public but used only in its package"));
                }
            }
        };
        return classes().that().resideInAPackage(root + "..").and().areTopLevelClasses().and().haveModifier(JavaModifier.PUBLIC)
                .and().doNotHaveSimpleName("Application").and().doNotHaveSimpleName("package-info")
                .and().haveNameNotMatching(".*\\.\\$.*") // Micronaut's generated bean definitions and introspections
                .should(usedElsewhere);
    }

    @Test
    void publicOnlyWhereAnotherPackageUsesIt() {
        publicOnlyWhereAnotherPackageUsesIt("dev.junction.platform").check(SERVER);
    }

    @Test
    void aPublicClassNoOtherPackageUsesFailsTheRule() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.junction.platform.architecture.publicfixture");
        AssertionError failure = assertThrows(AssertionError.class,
                () -> publicOnlyWhereAnotherPackageUsesIt("dev.junction.platform.architecture.publicfixture").check(fixture));
        assertTrue(failure.getMessage().contains("publicfixture.lonely.Lonely is public but used only in its package"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("Shared is public"), failure.getMessage());
    }

    /** One JSON mapper for the server's own JSON (see PlatformJson for why Jackson's). */
    @Test
    void noObjectMapperButPlatformJsons() {
        noClasses().that().doNotHaveFullyQualifiedName(PlatformJson.class.getName())
                .should().callConstructor(ObjectMapper.class).check(SERVER);
    }
}
