package dev.junction.spi;

/**
 * The version of this SPI (semantic versioning). The platform loads plugins built against the same
 * major version and an equal or older minor version, and refuses others with a clear reason.
 *
 * <p>This file is a template ({@code src/main/java-templates}): edit it there.
 *
 * <p>Pass {@link #CURRENT} to {@link ConnectorDescriptor#builder}: being a compile-time constant,
 * it records in the plugin's own bytecode the SPI version the plugin was built against.
 *
 * @since 1.0
 */
public final class SpiVersion {

    /**
     * The SPI version of this jar. Generated at build time from the SPI module's version (the root
     * pom's {@code junction.spi.version}), the one source of it; plugins' {@code Plugin-Requires} is
     * computed from the same property.
     */
    public static final String CURRENT = "${project.version}";

    private SpiVersion() {
    }

    /** The major version of a {@code major.minor.patch} string. */
    public static int major(String version) {
        return part(version, 0);
    }

    /** The minor version of a {@code major.minor.patch} string. */
    public static int minor(String version) {
        return part(version, 1);
    }

    /**
     * Why a plugin built against {@code pluginSpiVersion} cannot run on this SPI, or null when it can:
     * same major, and a minor no newer than this one's.
     */
    public static String incompatibility(String pluginSpiVersion) {
        try {
            if (major(pluginSpiVersion) != major(CURRENT)) {
                return "built for SPI " + pluginSpiVersion + ", but this platform provides SPI " + CURRENT
                        + " (major versions differ)";
            }
            if (minor(pluginSpiVersion) > minor(CURRENT)) {
                return "built for SPI " + pluginSpiVersion + ", newer than this platform's SPI " + CURRENT;
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "declares an unreadable SPI version '" + pluginSpiVersion + "'";
        }
    }

    private static int part(String version, int index) {
        if (version == null) {
            throw new IllegalArgumentException("no version");
        }
        String[] parts = version.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not major.minor.patch: " + version);
        }
        try {
            return Integer.parseInt(parts[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not major.minor.patch: " + version, e);
        }
    }
}
