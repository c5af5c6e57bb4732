package dev.junction.platform.security;

import dev.junction.platform.Application;
import dev.junction.runtime.http.HttpAttempt;
import dev.junction.spi.HttpCall;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every record of the SPI, the connector runtime and the server whose components are named like a
 * credential (secret, password, API key, write key, master key, token, authorization, JWT) or may
 * carry one ({@code config}, {@code headers}) is built with a known value in those components, and
 * its {@code toString} must not show it: a record logged by mistake must not leak. A new record
 * that keeps the default {@code toString} fails here.
 */
class CredentialToStringTest {

    private static final String SENTINEL = "sentinel-credential-4f1c9b";
    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i)(?!.*(hint|fields)$).*(secret|passw|api_?key|write_?key|master_?key|token|credential|authorization|jwt).*"
                    + "|config|headers|requestHeaders");

    /** Records whose credential-named components hold values that are masked before they are built, by contract. */
    private static final Map<String, String> MASKED_BY_CONSTRUCTION = Map.of(
            HttpAttempt.class.getName(), "the HTTP client records attempts with credentials already masked (see its Javadoc)");

    @Test
    void noRecordShowsACredentialInToString() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<String> unbuildable = new ArrayList<>();
        int checked = 0;
        for (Class<?> type : records()) {
            List<RecordComponent> credentials = Stream.of(type.getRecordComponents())
                    .filter(c -> CREDENTIAL.matcher(c.getName()).matches()).toList();
            if (credentials.isEmpty() || MASKED_BY_CONSTRUCTION.containsKey(type.getName())) {
                continue;
            }
            Object instance;
            try {
                instance = build(type, true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                unbuildable.add(type.getName() + ": " + e);
                continue;
            }
            checked++;
            if (String.valueOf(instance).contains(SENTINEL)) {
                leaks.add(type.getName() + " " + credentials.stream().map(RecordComponent::getName).toList());
            }
        }
        assertTrue(checked >= 8, "only " + checked + " records with credential components were checked");
        assertTrue(unbuildable.isEmpty(), "records the test cannot build (make them buildable or list them): " + unbuildable);
        assertTrue(leaks.isEmpty(), "records whose toString shows a credential (override it to mask): " + leaks);
    }

    private static Object build(Class<?> type, boolean withSentinels) throws ReflectiveOperationException {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            boolean credential = withSentinels && CREDENTIAL.matcher(components[i].getName()).matches();
            args[i] = credential ? sentinel(components[i]) : plain(components[i].getType());
        }
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(args);
    }

    private static Object sentinel(RecordComponent c) throws ReflectiveOperationException {
        Class<?> t = c.getType();
        if (t == String.class) {
            return SENTINEL;
        }
        if (t == byte[].class) {
            return SENTINEL.getBytes(StandardCharsets.UTF_8);
        }
        if (Map.class.isAssignableFrom(t)) {
            Type generic = c.getGenericType();
            boolean listValues = generic instanceof ParameterizedType p && p.getActualTypeArguments().length == 2
                    && p.getActualTypeArguments()[1].getTypeName().startsWith(List.class.getName());
            Object value = listValues ? List.of(SENTINEL) : SENTINEL;
            return Map.of("Authorization", value, "api_key", value);
        }
        if (Set.class.isAssignableFrom(t)) {
            return Set.of(SENTINEL);
        }
        if (com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(t)) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("api_key", SENTINEL);
        }
        if (List.class.isAssignableFrom(t)) {
            return List.of(SENTINEL);
        }
        return plain(t);
    }

    private static Object plain(Class<?> t) throws ReflectiveOperationException {
        if (t == String.class) {
            return "x";
        }
        if (t == int.class || t == Integer.class) {
            return 1;
        }
        if (t == long.class || t == Long.class) {
            return 1L;
        }
        if (t == boolean.class || t == Boolean.class) {
            return false;
        }
        if (t == double.class || t == Double.class) {
            return 1.0;
        }
        if (t == byte[].class) {
            return new byte[0];
        }
        if (t == URI.class) {
            return URI.create("https://example.com/");
        }
        if (t == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (t == Instant.class) {
            return Instant.EPOCH;
        }
        if (t == UUID.class) {
            return new UUID(0, 1);
        }
        if (t == Path.class) {
            return Path.of("x");
        }
        if (t == Optional.class) {
            return Optional.empty();
        }
        if (List.class.isAssignableFrom(t) || t == Iterable.class || t == java.util.Collection.class) {
            return List.of();
        }
        if (Set.class.isAssignableFrom(t)) {
            return Set.of();
        }
        if (Map.class.isAssignableFrom(t)) {
            return Map.of();
        }
        if (t.isEnum()) {
            return t.getEnumConstants()[0];
        }
        if (t.isRecord()) {
            return build(t, false);
        }
        return null;
    }

    /** The record classes of the SPI, the connector runtime and the server, from their class directories or jars. */
    private static List<Class<?>> records() throws IOException, URISyntaxException, ClassNotFoundException {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> anchor : List.of(Application.class, HttpCall.class, HttpAttempt.class)) {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location);
            Path root = jar == null ? location : jar.getPath("/");
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    if (!name.startsWith("dev.junction.") || name.contains("$$") || name.endsWith("package-info")) {
                        continue;
                    }
                    Class<?> c = Class.forName(name, false, CredentialToStringTest.class.getClassLoader());
                    if (c.isRecord()) {
                        found.add(c);
                    }
                }
            } finally {
                if (jar != null) {
                    jar.close();
                }
            }
        }
        return found;
    }
}
