package dev.junction.platform.plugin;

import java.nio.file.Path;

/**
 * What the platform knows about one plugin file: its PF4J id and version, whether it runs, the
 * connector it provides, and why not when it does not.
 *
 * @param id        plugin id (or the file name when the descriptor could not be read)
 * @param version   plugin version, or null
 * @param path      where it was loaded from
 * @param state     {@code started}, {@code disabled} or {@code failed}
 * @param connector the connector slug, or null
 * @param error     why it is not usable, or null
 */
public record PluginStatus(String id, String version, Path path, String state, String connector, String error) { }
