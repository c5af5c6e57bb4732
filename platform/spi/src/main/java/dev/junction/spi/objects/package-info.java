/** The {@code object_sync} capability: vendor objects pulled into per-installation tables. */
package dev.junction.spi.objects;
