package dev.junction.fakesendgrid;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reserved contact fields the fake stores (besides email, alternate_emails and custom fields). */
enum Reserved {
    FIRST_NAME, LAST_NAME, PHONE_NUMBER, EXTERNAL_ID, PHONE_NUMBER_ID, ANONYMOUS_ID, ADDRESS_LINE_1,
    ADDRESS_LINE_2, CITY, STATE_PROVINCE_REGION, POSTAL_CODE, COUNTRY, WHATSAPP, LINE, FACEBOOK, UNIQUE_NAME;

    final String wire = name().toLowerCase(Locale.ROOT);

    static final Map<String, Reserved> BY_WIRE = new HashMap<>();

    static {
        for (Reserved r : values()) {
            BY_WIRE.put(r.wire, r);
        }
    }

    /** Reserved field definitions returned by GET field_definitions (name, type, read_only), ids {@code _rfN_X}. */
    static final List<String[]> DEFINITIONS = List.of(
            new String[] {"first_name", "Text", "false"}, new String[] {"last_name", "Text", "false"},
            new String[] {"email", "Text", "false"}, new String[] {"alternate_emails", "Text", "false"},
            new String[] {"address_line_1", "Text", "false"}, new String[] {"address_line_2", "Text", "false"},
            new String[] {"city", "Text", "false"}, new String[] {"state_province_region", "Text", "false"},
            new String[] {"postal_code", "Text", "false"}, new String[] {"country", "Text", "false"},
            new String[] {"phone_number", "Text", "false"}, new String[] {"whatsapp", "Text", "false"},
            new String[] {"line", "Text", "false"}, new String[] {"facebook", "Text", "false"},
            new String[] {"unique_name", "Text", "false"}, new String[] {"email_domains", "Text", "true"},
            new String[] {"last_clicked", "Date", "true"}, new String[] {"last_opened", "Date", "true"},
            new String[] {"last_emailed", "Date", "true"}, new String[] {"singlesend_id", "Text", "true"},
            new String[] {"automation_id", "Text", "true"}, new String[] {"created_at", "Date", "true"},
            new String[] {"updated_at", "Date", "true"}, new String[] {"contact_id", "Text", "true"},
            new String[] {"phone_number_id", "Text", "false"}, new String[] {"external_id", "Text", "false"},
            new String[] {"anonymous_id", "Text", "false"});

    static final Set<String> NAMES = new java.util.HashSet<>();

    static {
        for (String[] d : DEFINITIONS) {
            NAMES.add(d[0]);
        }
    }
}
