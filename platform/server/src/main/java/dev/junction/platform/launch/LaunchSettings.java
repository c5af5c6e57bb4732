package dev.junction.platform.launch;

import dev.junction.platform.security.TokenMinter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's configuration, read once from the {@code JUNCTION_*} environment variables
 * (documented in the README) and turned into Micronaut properties. Dev mode fills in a local
 * JWT secret and master key.
 */
public record LaunchSettings(int port, String dbUrl, String dbUser, String dbPassword, String jwtSecret,
                             String jwksUrl, String masterKey, String previousMasterKeys, String publicUrl,
                             boolean dev, Path devSecretsFile, String pluginsDir) {

    public static final String DEFAULT_DB_URL = "jdbc:postgresql://127.0.0.1:5432/junction";
    public static final int DEFAULT_PORT = 8084;

    public static LaunchSettings fromEnvironment(Map<String, String> env, Path workDir) {
        int port = port(env.getOrDefault("JUNCTION_PORT", String.valueOf(DEFAULT_PORT)));
        boolean dev = Boolean.parseBoolean(env.getOrDefault("JUNCTION_DEV", "false").strip().toLowerCase(Locale.ROOT))
                || "1".equals(env.get("JUNCTION_DEV"));
        String jwtSecret = blankToNull(env.get("JUNCTION_JWT_SECRET"));
        String masterKey = blankToNull(env.get("JUNCTION_MASTER_KEY"));
        Path devFile = null;
        if (dev && (jwtSecret == null || masterKey == null)) {
            DevModeSecrets devSecrets = DevModeSecrets.loadOrCreate(workDir);
            devFile = devSecrets.file();
            jwtSecret = jwtSecret != null ? jwtSecret : devSecrets.jwtSecret();
            masterKey = masterKey != null ? masterKey : devSecrets.masterKey();
        }
        return new LaunchSettings(port,
                env.getOrDefault("JUNCTION_DB_URL", DEFAULT_DB_URL),
                env.getOrDefault("JUNCTION_DB_USER", "postgres"),
                env.getOrDefault("JUNCTION_DB_PASSWORD", ""),
                jwtSecret, blankToNull(env.get("JUNCTION_JWKS_URL")), masterKey,
                blankToNull(env.get("JUNCTION_PREVIOUS_MASTER_KEYS")),
                stripTrailingSlash(env.getOrDefault("JUNCTION_PUBLIC_URL", "http://localhost:" + port)),
                dev, devFile, env.getOrDefault("JUNCTION_PLUGINS_DIR", "plugins"));
    }

    /** Checks what the token command needs. */
    public void requireTokenSigning() {
        if (jwtSecret == null) {
            throw new LaunchException("JUNCTION_JWT_SECRET is not set, so no token can be signed. Set it (the HS256 "
                    + "secret the server uses), or run with JUNCTION_DEV=true in the server's working directory.");
        }
        if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < TokenMinter.MIN_SECRET_BYTES) {
            throw new LaunchException("JUNCTION_JWT_SECRET is too short: HS256 needs at least "
                    + TokenMinter.MIN_SECRET_BYTES + " bytes");
        }
    }

    /** Checks what the server needs before anything starts. */
    public void requireServer() {
        if (jwtSecret == null && jwksUrl == null) {
            throw new LaunchException("Refusing to start: no way to verify tokens. Set JUNCTION_JWT_SECRET (an HS256 "
                    + "secret of at least 32 bytes, e.g. `openssl rand -base64 48`) or JUNCTION_JWKS_URL (your identity "
                    + "provider's JWKS), or set JUNCTION_DEV=true for a local trial.");
        }
        if (jwtSecret != null) {
            requireTokenSigning();
        }
        if (masterKey == null) {
            throw new LaunchException("Refusing to start: JUNCTION_MASTER_KEY is not set. It encrypts tenant secrets: "
                    + "the base64 of 32 random bytes (`openssl rand -base64 32`). Keep it safe; or set JUNCTION_DEV=true "
                    + "for a local trial.");
        }
    }

    /** The Micronaut properties these settings stand for. */
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("micronaut.server.port", port);
        p.put("datasources.default.url", dbUrl);
        p.put("datasources.default.username", dbUser);
        p.put("datasources.default.password", dbPassword);
        if (jwtSecret != null) {
            p.put("micronaut.security.token.jwt.signatures.secret.generator.secret", jwtSecret);
            p.put("micronaut.security.token.jwt.signatures.secret.generator.jws-algorithm", "HS256");
        }
        if (jwksUrl != null) {
            p.put("micronaut.security.token.jwt.signatures.jwks.idp.url", jwksUrl);
        }
        if (masterKey != null) {
            p.put("junction.master-key", masterKey);
        }
        if (previousMasterKeys != null) {
            p.put("junction.previous-master-keys", previousMasterKeys);
        }
        p.put("junction.public-url", publicUrl);
        p.put("junction.dev", dev);
        p.put("junction.plugins-dir", pluginsDir);
        return p;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new LaunchException("JUNCTION_PORT must be a port number between 1 and 65535, got '" + value + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "LaunchSettings[port=" + port + ", dbUrl=" + dbUrl + ", dev=" + dev + "]"; // no secrets
    }
}
