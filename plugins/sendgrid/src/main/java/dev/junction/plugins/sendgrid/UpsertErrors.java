package dev.junction.plugins.sendgrid;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the errors SendGrid answers to a contacts upsert ({@code PUT /v3/marketing/contacts}):
 * each names a refused contact as {@code contacts[i]}, or one of its fields as
 * {@code contacts[i].field}, and custom fields by their ids somewhere in its field or message.
 */
final class UpsertErrors {

    private static final Pattern CONTACT_ERROR = Pattern.compile("^contacts\\[(\\d{1,5})](?:\\.(.+))?$");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");

    private UpsertErrors() {
    }

    /** Errors that name a contact of the request, by the contact's index. */
    static Map<Integer, List<Map<?, ?>>> byContact(List<Map<?, ?>> errors, int contacts) {
        Map<Integer, List<Map<?, ?>>> out = new LinkedHashMap<>();
        for (Map<?, ?> error : errors) {
            Matcher m = CONTACT_ERROR.matcher(String.valueOf(error.get("field")));
            if (m.matches() && Integer.parseInt(m.group(1)) < contacts) {
                out.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new ArrayList<>()).add(error);
            }
        }
        return out;
    }

    /** The field of the contact an error names ({@code email}, {@code custom_fields.e1_T}...), or null. */
    static String fieldPath(Map<?, ?> error) {
        Matcher m = CONTACT_ERROR.matcher(String.valueOf(error.get("field")));
        return m.matches() ? m.group(2) : null;
    }

    /** The words of the errors' fields and messages: where SendGrid names custom field ids. */
    static Set<String> words(List<Map<?, ?>> errors) {
        Set<String> out = new HashSet<>();
        for (Map<?, ?> error : errors) {
            Matcher m = WORD.matcher(error.get("field") + " " + error.get("message"));
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }
}
