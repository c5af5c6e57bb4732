package dev.junction.fakevendor;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query strings and path segments as the fakes read them. */
public final class QueryStrings {
    private QueryStrings() {
    }

    /**
     * Parses a raw query string into decoded names and values, in order ({@code +} is a space).
     *
     * @param raw the raw query, or null
     * @return a mutable map; empty for a null or empty query
     */
    public static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /**
     * Decodes a path or path segment: percent escapes only, a {@code +} stays a plus (it is no space in a path).
     *
     * @param raw the raw text
     * @return the decoded text
     */
    public static String decodePath(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * The first value of a parameter.
     *
     * @param values the values, or null
     * @return the first, or null when there is none
     */
    public static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
