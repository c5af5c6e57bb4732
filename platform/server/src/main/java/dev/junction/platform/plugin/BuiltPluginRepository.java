package dev.junction.platform.plugin;

import org.pf4j.PluginRepository;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where plugins come from: every {@code *.zip} and {@code *.jar} directly in the plugins directory,
 * and, so that a source checkout runs right after {@code mvn package} with no copying,
 * every {@code <module>/target/*.zip} below it (that is {@code plugins/sendgrid/target/*.zip}).
 * Zips are expanded into a work directory under {@code java.io.tmpdir} (not next to themselves, as
 * PF4J would), so the plugins directory may be read-only: an image layer, a mounted volume, a
 * container with a read-only root file system.
 */
final class BuiltPluginRepository implements PluginRepository {

    private static final Logger LOG = LoggerFactory.getLogger(BuiltPluginRepository.class);

    private final Path root;
    private final Path workDir;

    BuiltPluginRepository(Path root) {
        this(root, Path.of(System.getProperty("java.io.tmpdir"), "junction-plugins"));
    }

    BuiltPluginRepository(Path root, Path workDir) {
        this.root = root;
        this.workDir = workDir;
    }

    @Override
    public List<Path> getPluginPaths() {
        List<Path> paths = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            LOG.info("Plugins directory {} does not exist: no plugins loaded", root.toAbsolutePath());
            return paths;
        }
        collect(root, paths, true, workDir);
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path module : modules) {
                Path target = module.resolve("target");
                if (Files.isDirectory(target)) {
                    collect(target, paths, false, workDir); // a module's target also holds its plain jar: zips only
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", root, e.getMessage());
        }
        return paths;
    }

    private static void collect(Path dir, List<Path> into, boolean jars, Path workDir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path f : files) {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".zip")) {
                    into.add(expand(f, workDir));
                } else if (jars && name.endsWith(".jar")) {
                    into.add(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot read plugins in {}: {}", dir, e.getMessage());
        }
    }

    /**
     * The zip's contents in a directory of the work dir named after the zip and a hash of its path,
     * size and modification time: a changed zip gets a fresh directory, an unchanged one is reused.
     * Extracted into a temporary sibling first and moved into place, so a half-written directory is
     * never used.
     */
    static Path expand(Path zip, Path workDir) throws IOException {
        String name = zip.getFileName().toString();
        String stem = name.substring(0, name.length() - ".zip".length());
        String identity = zip.toAbsolutePath().normalize() + "|" + Files.size(zip) + "|" + Files.getLastModifiedTime(zip).toMillis();
        Path target = workDir.resolve(stem + "-" + shortHash(identity));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(workDir);
        Path temp = Files.createTempDirectory(workDir, stem + "-partial-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path out = temp.resolve(e.getName()).normalize();
                if (!out.startsWith(temp)) {
                    throw new IOException("zip entry outside the plugin: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.isDirectory(target)) {
                throw raced;
            }
            FileUtils.delete(temp); // another server process on the same host expanded it first
        }
        return target;
    }

    private static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean deletePluginPath(Path pluginPath) {
        return false; // plugins are deployed by operators, never deleted by the platform
    }
}
