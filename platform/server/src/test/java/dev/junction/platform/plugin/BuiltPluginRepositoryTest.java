package dev.junction.platform.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plugin zips are expanded outside the plugins directory, which therefore may be read-only. */
class BuiltPluginRepositoryTest {

    @TempDir
    Path plugins;
    @TempDir
    Path work;

    private static void zip(Path file, String entry, String content) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void zipsAreExpandedIntoTheWorkDirectoryAndTheirOwnDirectoryIsLeftAlone() throws IOException {
        Path zip = plugins.resolve("demo-plugin.zip");
        zip(zip, "plugin.properties", "plugin.id=demo\n");
        List<Path> before = listing(plugins);
        BuiltPluginRepository repository = new BuiltPluginRepository(plugins, work);

        List<Path> paths = repository.getPluginPaths();
        assertEquals(1, paths.size());
        assertTrue(paths.get(0).startsWith(work), paths.toString());
        assertEquals("plugin.id=demo\n", Files.readString(paths.get(0).resolve("plugin.properties")));
        assertEquals(before, listing(plugins), "nothing was written next to the zip");
        assertEquals(paths, repository.getPluginPaths(), "an unchanged zip is reused");

        zip(zip, "plugin.properties", "plugin.id=demo2\n");
        Files.setLastModifiedTime(zip, FileTime.fromMillis(Files.getLastModifiedTime(zip).toMillis() + 5_000));
        Path fresh = repository.getPluginPaths().get(0);
        assertNotEquals(paths.get(0), fresh, "a changed zip is expanded afresh");
        assertEquals("plugin.id=demo2\n", Files.readString(fresh.resolve("plugin.properties")));
    }

    @Test
    void anEntryOutsideThePluginIsRefused() throws IOException {
        Path zip = plugins.resolve("evil.zip");
        zip(zip, "../../escaped.txt", "x");
        assertThrows(IOException.class, () -> BuiltPluginRepository.expand(zip, work));
        assertTrue(Files.notExists(work.resolve("../escaped.txt").normalize()));
    }
}
