package dev.junction.spi;

import org.pf4j.ExtensionPoint;

/**
 * The common supertype of the capability extension points:
 * {@link dev.junction.spi.cohort.CohortSync}, {@link dev.junction.spi.source.EventSource},
 * {@link dev.junction.spi.objects.ObjectSync} and {@link dev.junction.spi.destination.EventDestination}.
 *
 * <p>A capability is declared once, by its {@code @Extension}: a plugin has the capabilities whose
 * interfaces its extensions implement, and the catalog shows exactly those. At load time the
 * platform refuses a plugin with an extension that implements this interface but none of the four,
 * or with two extensions of one capability, naming the classes.
 *
 * @since 1.0
 */
public interface ConnectorCapability extends ExtensionPoint {
}
