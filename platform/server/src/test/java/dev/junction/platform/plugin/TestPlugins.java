package dev.junction.platform.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packages test classes as PF4J plugin zips (plugin.properties, classes/, extensions.idx). */
public final class TestPlugins {

    private TestPlugins() {
    }

    /**
     * Writes {@code <dir>/<id>.zip}: a plugin whose extensions are {@code extensions}; the classes
     * of their top-level class (with its nested classes) are copied in.
     *
     * @param properties plugin.properties text; null for a standard descriptor of {@code id}
     */
    public static Path zip(Path dir, String id, String properties, List<Class<?>> extensions) {
        Path zip = dir.resolve(id + ".zip");
        String props = properties != null ? properties
                : "plugin.id=" + id + "\nplugin.version=1.0.0\nplugin.requires=>=1.0.0 & <2.0.0\nplugin.provider=tests\n";
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            put(out, "plugin.properties", props.getBytes(StandardCharsets.UTF_8));
            StringBuilder index = new StringBuilder();
            java.util.Set<Path> copied = new java.util.HashSet<>();
            for (Class<?> extension : extensions) {
                index.append(extension.getName()).append('\n');
                Class<?> top = extension;
                while (top.getEnclosingClass() != null) {
                    top = top.getEnclosingClass();
                }
                Path topFile = classFile(top);
                String prefix = top.getSimpleName();
                try (Stream<Path> siblings = Files.list(topFile.getParent())) {
                    for (Path f : siblings.filter(p -> p.getFileName().toString().equals(prefix + ".class")
                            || p.getFileName().toString().startsWith(prefix + "$")).toList()) {
                        if (copied.add(f)) {
                            String entry = "classes/" + top.getPackageName().replace('.', '/') + "/" + f.getFileName();
                            put(out, entry, Files.readAllBytes(f));
                        }
                    }
                }
            }
            put(out, "classes/META-INF/extensions.idx", index.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip;
    }

    /** Copies the repository's built zip of a real plugin into {@code dir}. */
    public static void copyBuilt(Path dir, String slug) {
        Path target = Path.of(System.getProperty("junction.plugins-dir", "../../plugins"), slug, "target");
        try (Stream<Path> files = Files.list(target)) {
            Path zip = files.filter(p -> p.getFileName().toString().endsWith(".zip")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the plugins first: no zip in " + target));
            Files.copy(zip, dir.resolve(zip.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path classFile(Class<?> c) {
        URL url = c.getResource(c.getSimpleName() + ".class");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

}
