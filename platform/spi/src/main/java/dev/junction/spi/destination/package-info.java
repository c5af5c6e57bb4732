/** The {@code event_destination} capability: a tenant's own events delivered to the vendor. */
package dev.junction.spi.destination;
