package dev.junction.spi;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP headers as the SPI's records hold them ({@link HttpResult}, {@link dev.junction.spi.source.WebhookRequest}):
 * names lower-cased, values unmodifiable.
 *
 * @since 1.0
 */
public final class Headers {

    private Headers() {
    }

    /** An unmodifiable copy with lower-cased names, sorted; a null map is empty. */
    public static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        return Collections.unmodifiableMap(lower);
    }

    /** The first value of a header in a {@link #lowerCased} map, by case-insensitive name. */
    public static Optional<String> first(Map<String, List<String>> lowerCased, String name) {
        List<String> v = lowerCased.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
