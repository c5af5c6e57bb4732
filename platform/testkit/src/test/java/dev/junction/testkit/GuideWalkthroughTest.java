package dev.junction.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin author's guide, {@code plugins/README.md}, compiles as written: every {@code java} block
 * is compiled against the SPI, PF4J (its annotation processor writes the extensions index) and the
 * test kit, and the guide's own tests then run: its cohort sync test against a {@link FakeHttpServer},
 * and its {@link ConnectorContractTest}.
 */
class GuideWalkthroughTest {

    private static final Path GUIDE = Path.of("../../plugins/README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^(public )?(?:final |abstract )*(?:class|interface|record|enum) (\\w+)",
            Pattern.MULTILINE);

    @TempDir
    Path out;

    @Test
    void theGuidesCodeCompilesAndItsTestsPass() throws Exception {
        List<JavaFileObject> sources = sources(Files.readString(GUIDE));
        assertTrue(sources.size() >= 3, "the guide has its connector, cohort sync and tests as java blocks: " + sources);

        compile(sources);
        Files.writeString(out.resolve("plugin.properties"), "plugin.id=acmemail\n");  // as the plugin build writes it

        List<String> ran = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
             Stream<Path> classes = Files.walk(out)) {
            for (Path file : classes.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = out.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                ran.addAll(runTests(loader.loadClass(name)));
            }
        }
        assertTrue(ran.contains("AcmeMailCohortSyncTest.addsMembersThenRemovesThemByTheIdsItKept"), ran.toString());
        assertTrue(ran.contains("AcmeMailContractTest.capabilityExtensionsEachProvideACapabilityOnce"), ran.toString());
        assertTrue(ran.contains("AcmeMailContractTest.extensionsIndexListsEveryExtension"), ran.toString());
    }

    /** Each java block as a source file named after its public (else first) top-level type. */
    private static List<JavaFileObject> sources(String guide) {
        List<JavaFileObject> out = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(guide);
        while (block.find()) {
            String code = block.group(1);
            Matcher pkg = PACKAGE.matcher(code);
            String packagePath = pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "";
            String name = null;
            Matcher type = TYPE.matcher(code);
            while (type.find()) {
                if (name == null || type.group(1) != null) {
                    name = type.group(2);
                }
            }
            assertTrue(name != null, "a java block declares a type: " + code);
            out.add(new SimpleJavaFileObject(URI.create("string:///" + packagePath + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        return out;
    }

    private void compile(List<JavaFileObject> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
                "--release", "17", "-Xlint:all", "-Xlint:-processing", "-Werror");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, sources).call();
        String report = diagnostics.getDiagnostics().stream()
                .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName()) + ":" + d.getLineNumber()
                        + " " + d.getMessage(null))
                .collect(Collectors.joining("\n"));
        assertTrue(ok, "the guide's code does not compile as written:\n" + report);
        assertEquals(List.of(), diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.WARNING).toList(),
                report);
    }

    /** Runs the JUnit {@code @Test} methods of a concrete class (inherited ones included), as JUnit would. */
    private static List<String> runTests(Class<?> type) throws Exception {
        List<String> ran = new ArrayList<>();
        if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            return ran;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                    var constructor = type.getDeclaredConstructor();
                    constructor.setAccessible(true);
                    Object instance = constructor.newInstance();
                    m.setAccessible(true);
                    try {
                        m.invoke(instance);
                    } catch (InvocationTargetException e) {
                        throw new AssertionError("the guide's " + type.getSimpleName() + "." + m.getName() + " fails", e.getCause());
                    }
                    ran.add(type.getSimpleName() + "." + m.getName());
                }
            }
        }
        return ran;
    }
}
