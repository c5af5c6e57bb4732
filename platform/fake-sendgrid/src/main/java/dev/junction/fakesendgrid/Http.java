package dev.junction.fakesendgrid;

import java.util.ArrayList;
import java.util.List;

/** Small HTTP helpers (query strings and paths: {@link dev.junction.fakevendor.QueryStrings}). */
final class Http {
    private Http() {}

    /** Splits a comma-separated parameter into trimmed, non-empty parts. */
    static List<String> commaList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
