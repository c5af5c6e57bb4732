package dev.junction.spi;

import org.pf4j.ExtensionPoint;

/**
 * The common supertype of capability extension points. A plugin implements each capability it
 * declares in {@link ConnectorDescriptor#capabilities()} as its own {@code @Extension}; the
 * platform checks at load time that declared capabilities and extensions match.
 *
 * @since 1.0
 */
public interface ConnectorCapability extends ExtensionPoint {

    /** Which capability this extension provides. */
    Capability capability();
}
