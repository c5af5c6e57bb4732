package dev.junction.platform.web;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.junction.platform.PlatformJson;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one encoding of list cursors: the key of a page's last row (one or more parts) as a JSON
 * array of strings, in base64url. Clients treat it as opaque, so a list's key can change shape
 * without breaking them, and any key text (slugs, e-mails, collection keys holding '|' or line
 * breaks) comes back exactly as it went out.
 */
public final class Cursor {

    private static final TypeReference<List<String>> PARTS = new TypeReference<>() { };

    private Cursor() {
    }

    /** The cursor of a row whose key is {@code keyParts} (each written with {@code toString}). */
    public static String of(Object... keyParts) {
        List<String> parts = Arrays.stream(keyParts).map(p -> Objects.requireNonNull(p, "a key part").toString()).toList();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(PlatformJson.write(parts).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key a cursor this API returned stands for, made by {@code parse} from its parts; null
     * when there is no cursor. Anything else (not ours, tampered, a key {@code parse} refuses) is a
     * 422 naming the {@code cursor} parameter.
     */
    @Nullable
    public static <K> K read(@Nullable String cursor, Function<List<String>, K> parse) {
        if (cursor == null) {
            return null;
        }
        try {
            List<String> parts = PlatformJson.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), PARTS);
            return Objects.requireNonNull(parse.apply(parts));
        } catch (Exception e) {
            throw ApiException.invalidParameter("cursor", "is not a cursor this API returned");
        }
    }

    /** The key of a one-part cursor. */
    @Nullable
    public static String readText(@Nullable String cursor) {
        return read(cursor, parts -> parts.size() == 1 ? parts.get(0) : null);
    }

    /** A key of a creation time and an id, the order of most lists of things a tenant creates. */
    public record CreatedAndId(java.time.Instant createdAt, java.util.UUID id) {

        public String cursor() {
            return of(createdAt, id);
        }

        @Nullable
        public static CreatedAndId read(@Nullable String cursor) {
            return Cursor.read(cursor, p -> p.size() == 2 ? new CreatedAndId(java.time.Instant.parse(p.get(0)), java.util.UUID.fromString(p.get(1))) : null);
        }
    }
}
