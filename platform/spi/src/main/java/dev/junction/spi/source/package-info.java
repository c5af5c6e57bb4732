/** The {@code event_source} capability: vendor webhooks in, platform events out. */
package dev.junction.spi.source;
