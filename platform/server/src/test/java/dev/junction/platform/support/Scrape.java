package dev.junction.platform.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of {@code GET /prometheus}, parsed from the text exposition format: every sample by
 * its series ({@code name{label="value",...}}, labels sorted) so tests can compare values.
 */
public record Scrape(Map<String, Double> samples, String text) {

    /** Scrapes the server as Prometheus would: anonymously, over HTTP. */
    public static Scrape of(Api anonymous) {
        Api.Response r = anonymous.get("/prometheus");
        if (r.status() != 200) {
            throw new AssertionError("GET /prometheus answered " + r.status() + ": " + r.body());
        }
        return parse(r.body());
    }

    public static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            String series = line.substring(0, split).strip();
            // a sample may carry a timestamp or an exemplar: the value is the first token after the series
            String rest = line.substring(series.length()).strip().split(" ")[0];
            samples.put(normalize(series), Double.parseDouble(rest));
        }
        return new Scrape(samples, text);
    }

    /** The value of {@code name} with exactly these labels (pairs of name and value); 0 when absent. */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.getOrDefault(key(name, wanted), 0.0);
    }

    /** True when any series of that name exists (with any labels). */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    private static String normalize(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        Map<String, String> labels = new TreeMap<>();
        String body = series.substring(brace + 1, series.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            String name = body.substring(i, eq).strip();
            int start = body.indexOf('"', eq) + 1;
            StringBuilder value = new StringBuilder();
            int j = start;
            while (body.charAt(j) != '"') {
                if (body.charAt(j) == '\\') {
                    j++;
                }
                value.append(body.charAt(j));
                j++;
            }
            labels.put(name, value.toString());
            i = j + 1;
            while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                i++;
            }
        }
        return key(series.substring(0, brace), labels);
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }
}
