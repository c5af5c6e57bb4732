package dev.junction.runtime;

import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.destination.EventDestination;
import dev.junction.spi.objects.ObjectSync;
import dev.junction.spi.source.EventSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plugin's capabilities, derived from the interfaces its extensions implement: the one place that
 * pairs each {@link Capability} with its extension point. Nothing else declares a capability.
 */
public final class CapabilityTypes {

    private static final Map<Capability, Class<? extends ConnectorCapability>> TYPES = new EnumMap<>(Map.of(
            Capability.COHORT_SYNC, CohortSync.class,
            Capability.EVENT_SOURCE, EventSource.class,
            Capability.OBJECT_SYNC, ObjectSync.class,
            Capability.EVENT_DESTINATION, EventDestination.class));

    private CapabilityTypes() {
    }

    /** The extension point of a capability. */
    public static Class<? extends ConnectorCapability> type(Capability capability) {
        return TYPES.get(capability);
    }

    /** The capabilities one extension provides, in declaration order of {@link Capability}. */
    public static Set<Capability> of(ConnectorCapability extension) {
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        TYPES.forEach((capability, type) -> {
            if (type.isInstance(extension)) {
                out.add(capability);
            }
        });
        return out;
    }

    /**
     * Each capability with the one extension that provides it.
     *
     * @throws IllegalArgumentException naming the classes, when an extension implements no
     *         capability or two extensions provide the same one
     */
    public static Map<Capability, ConnectorCapability> index(Collection<? extends ConnectorCapability> extensions) {
        Map<Capability, ConnectorCapability> out = new EnumMap<>(Capability.class);
        List<String> problems = new ArrayList<>();
        for (ConnectorCapability extension : extensions) {
            Set<Capability> provided = of(extension);
            if (provided.isEmpty()) {
                problems.add("extension " + extension.getClass().getName() + " implements ConnectorCapability but none of "
                        + "CohortSync, EventSource, ObjectSync, EventDestination");
            }
            for (Capability capability : provided) {
                ConnectorCapability before = out.put(capability, extension);
                if (before != null && before != extension) {
                    problems.add("two extensions provide " + capability.wireName() + ": " + before.getClass().getName()
                            + " and " + extension.getClass().getName());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return out;
    }
}
