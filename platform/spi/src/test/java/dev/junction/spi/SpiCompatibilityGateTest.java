package dev.junction.spi;

import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.config.Options;
import japicmp.model.JApiClass;
import japicmp.output.semver.SemverOut;
import javassist.ClassPool;
import javassist.CtClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compatibility gate's comparison (japicmp, as {@code mvn verify} runs it against
 * {@code compat/junction-spi-<released>.jar}) on the SPI as built and on a deliberately broken copy:
 * a removed method needs a major version, so the gate fails it at 1.x and lets it through at 2.0.0.
 */
class SpiCompatibilityGateTest {

    private static final Path CLASSES = Path.of("target/classes");

    @TempDir
    Path temp;

    @Test
    void theSpiAsBuiltNeedsNoMoreThanItsVersionAllows() throws Exception {
        Path baseline = baseline();
        String released = released(baseline);
        String required = requiredChange(baseline, jar(CLASSES, temp.resolve("current.jar")));
        assertTrue(allowed(released, SpiVersion.CURRENT, required), "SPI " + SpiVersion.CURRENT + " against released "
                + released + " needs a " + required + " change; bump junction.spi.version (compat/README.md)");
    }

    @Test
    void aRemovedMethodFailsTheGateUnlessTheMajorVersionIsBumped() throws Exception {
        Path broken = temp.resolve("broken");
        copy(CLASSES, broken);
        ClassPool pool = new ClassPool(true);
        pool.appendClassPath(broken.toString());
        CtClass checkResult = pool.get(CheckResult.class.getName());
        checkResult.removeMethod(checkResult.getDeclaredMethod("ok", new CtClass[] {pool.get(String.class.getName())}));
        checkResult.writeFile(broken.toString());

        Path baseline = baseline();
        String released = released(baseline);
        String required = requiredChange(baseline, jar(broken, temp.resolve("broken.jar")));

        assertEquals(SemverOut.SEMVER_MAJOR, required, "removing CheckResult.ok(String) breaks plugins built for 1.0");
        int major = SpiVersion.major(released);
        assertFalse(allowed(released, major + "." + (SpiVersion.minor(released) + 1) + ".0", required), "a minor bump is refused");
        assertFalse(allowed(released, released, required), "the same version is refused");
        assertTrue(allowed(released, (major + 1) + ".0.0", required), "a major bump lets it through");
    }

    @Test
    void aNewDefaultMethodNeedsOnlyAMinorVersion() throws Exception {
        Path added = temp.resolve("added");
        copy(CLASSES, added);
        ClassPool pool = new ClassPool(true);
        pool.appendClassPath(added.toString());
        CtClass json = pool.get(Json.class.getName());
        json.addMethod(javassist.CtNewMethod.make("public String version() { return \"x\"; }", json));
        json.writeFile(added.toString());

        String required = requiredChange(baseline(), jar(added, temp.resolve("added.jar")));

        assertNotEquals(SemverOut.SEMVER_MAJOR, required, "a default method keeps plugins built for 1.0 working");
    }

    /**
     * The gate's rule: a change that needs a major version passes only with a bigger major; one that
     * needs a minor, only with a bigger major or minor.
     */
    private static boolean allowed(String released, String built, String required) {
        int majorStep = SpiVersion.major(built) - SpiVersion.major(released);
        int minorStep = SpiVersion.minor(built) - SpiVersion.minor(released);
        return switch (required) {
            case SemverOut.SEMVER_MAJOR -> majorStep > 0;
            case SemverOut.SEMVER_MINOR -> majorStep > 0 || minorStep > 0;
            default -> true;
        };
    }

    private static String requiredChange(Path oldJar, Path newJar) {
        Options options = Options.newDefault();
        List<JApiClass> classes = new JarArchiveComparator(JarArchiveComparatorOptions.of(options))
                .compare(new JApiCmpArchive(oldJar.toFile(), "old"), new JApiCmpArchive(newJar.toFile(), "new"));
        return new SemverOut(options, classes).generate();
    }

    private static Path baseline() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("compat"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("junction-spi-\\d+\\.\\d+\\.\\d+\\.jar")).toList();
            assertEquals(1, jars.size(), "one released SPI jar in compat/: " + jars);
            return jars.get(0);
        }
    }

    private static String released(Path baseline) {
        String name = baseline.getFileName().toString();
        return name.substring("junction-spi-".length(), name.length() - ".jar".length());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
