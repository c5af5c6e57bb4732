package dev.junction.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Removes secrets from what gets recorded: given secret values anywhere in text, and credential
 * headers entirely.
 */
public final class Masking {

    /** What replaces a secret. */
    public static final String MASK = "***";

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization",
            "x-api-key", "api-key", "cookie", "set-cookie");

    private Masking() {
    }

    /** {@code text} with every occurrence of every secret (of 4+ characters) replaced. */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** Headers with credential headers masked and secrets removed from the others. */
    public static Map<String, List<String>> headers(Map<String, List<String>> headers, Collection<String> secrets) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, values.stream().map(Masking::maskCredential).toList());
            } else {
                List<String> masked = new ArrayList<>();
                values.forEach(v -> masked.add(mask(v, secrets)));
                out.put(name, masked);
            }
        });
        return out;
    }

    private static String maskCredential(String value) {
        int space = value.indexOf(' ');
        return space > 0 ? value.substring(0, space) + " " + MASK : MASK;
    }

    /** Body text truncated to {@code maxBytes} (on a character boundary) and masked. */
    public static String body(byte[] body, int maxBytes, Collection<String> secrets) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = new String(body, 0, Math.min(body.length, maxBytes), StandardCharsets.UTF_8);
        String masked = mask(text, secrets);
        return body.length > maxBytes ? masked + "…[" + (body.length - maxBytes) + " more bytes]" : masked;
    }
}
