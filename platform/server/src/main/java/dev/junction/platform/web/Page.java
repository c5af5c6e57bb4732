package dev.junction.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One page of a keyset-paginated list. Pass {@code next_cursor} back as {@code cursor} for the
 * next page; it is absent on the last page.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, @JsonProperty("next_cursor") @Nullable String nextCursor) {

    /** Default and maximum page sizes for every list endpoint. */
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /**
     * The page from rows fetched with one row more than {@code limit}: the extra row only says
     * that there is a next page, whose cursor is taken from the last row kept.
     */
    public static <T> Page<T> ofOverfetched(List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> page = List.copyOf(rows.subList(0, limit));
        return new Page<>(page, cursorOf.apply(page.get(limit - 1)));
    }

    /** Validates a {@code limit} query parameter, applying the default when absent. */
    public static int limit(@Nullable Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.invalidParameter("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
