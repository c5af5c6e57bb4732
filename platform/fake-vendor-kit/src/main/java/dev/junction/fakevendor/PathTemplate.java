package dev.junction.fakevendor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAPI path template such as {@code /v3/marketing/lists/{id}/contacts}: each {@code {name}} segment
 * matches one non-empty path segment.
 */
public final class PathTemplate {
    /** Literal segments win over templates: {@code /contacts/count} before {@code /contacts/{id}}; then by text. */
    public static final Comparator<PathTemplate> MOST_LITERAL_FIRST =
            Comparator.comparingInt((PathTemplate t) -> -t.literalSegments).thenComparing(t -> t.template);

    private final String template;
    private final Pattern regex;
    private final List<String> names;
    private final int literalSegments;

    /**
     * @param template the template, starting with {@code /}
     */
    public PathTemplate(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        this.template = template;
        StringBuilder re = new StringBuilder();
        List<String> params = new ArrayList<>();
        int literals = 0;
        for (String segment : template.substring(1).split("/", -1)) {
            re.append('/');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                params.add(segment.substring(1, segment.length() - 1));
                re.append("([^/]+)");
            } else {
                literals++;
                re.append(Pattern.quote(segment));
            }
        }
        this.regex = Pattern.compile(re.toString());
        this.names = List.copyOf(params);
        this.literalSegments = literals;
    }

    /** @return the template text */
    public String template() {
        return template;
    }

    /** @return the number of segments that are not parameters */
    public int literalSegments() {
        return literalSegments;
    }

    /**
     * @param path a request path (no query)
     * @return whether the path has this template's shape
     */
    public boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    /**
     * The parameter values of a matching path.
     *
     * @param path a request path (no query)
     * @param decoder how each value is decoded, e.g. {@link QueryStrings#decodePath}
     * @return the values by parameter name, in template order; empty when the path does not match
     */
    public Optional<Map<String, String>> match(String path, UnaryOperator<String> decoder) {
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), decoder.apply(m.group(i + 1)));
        }
        return Optional.of(values);
    }

    @Override
    public String toString() {
        return template;
    }
}
