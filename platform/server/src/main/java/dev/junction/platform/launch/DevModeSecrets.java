package dev.junction.platform.launch;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The JWT secret and master key of dev mode: generated on first start and kept in a file under the
 * working directory, readable by its owner only, so that tokens and stored secrets survive restarts.
 */
record DevModeSecrets(Path file, String jwtSecret, String masterKey) {

    @Override
    public String toString() {
        return "DevModeSecrets[file=" + file + ", jwtSecret=***, masterKey=***]";
    }

    static final String FILE_NAME = ".junction-dev.properties";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    static DevModeSecrets loadOrCreate(Path workDir) {
        Path file = workDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            String jwt = p.getProperty("jwt-secret");
            String key = p.getProperty("master-key");
            if (jwt == null || key == null) {
                throw new LaunchException(file + " is incomplete (needs jwt-secret and master-key); delete it to regenerate");
            }
            return new DevModeSecrets(file, jwt, key);
        } catch (IOException e) {
            throw new LaunchException("Cannot read or create the dev-mode secrets file " + file + ": " + e.getMessage());
        }
    }

    private static void create(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        Properties p = new Properties();
        p.setProperty("jwt-secret", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 48)));
        p.setProperty("master-key", Base64.getEncoder().encodeToString(bytes(random, 32)));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return; // another process created it first; use theirs
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Junction dev mode: local JWT secret and master key. Never use in production.");
        }
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
