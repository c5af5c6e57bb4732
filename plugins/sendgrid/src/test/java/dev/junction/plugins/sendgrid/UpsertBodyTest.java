package dev.junction.plugins.sendgrid;

import dev.junction.runtime.JacksonJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request bodies of {@code PUT /v3/marketing/contacts}: exact sizes at SendGrid's limits. */
class UpsertBodyTest {

    private static final JacksonJson JSON = JacksonJson.INSTANCE;
    private static final String LIST_ID = "0b6a6b3e-6b7e-4d5c-9e64-6d6f0c2b1a11";

    private static List<UpsertBody.Contact> contacts(int n, int bytesEach) {
        return IntStream.range(0, n).mapToObj(i -> {
            String email = "c" + i + "@example.com";
            byte[] bare = JSON.write(Map.of("email", email, "first_name", ""));
            String pad = "x".repeat(bytesEach - bare.length);
            byte[] json = JSON.write(Map.of("email", email, "first_name", pad));
            return new UpsertBody.Contact(email, json);
        }).toList();
    }

    @Test
    void theBodyIsTheJsonSendGridExpectsAndItsSizeIsExact() {
        List<UpsertBody.Contact> all = contacts(3, 60);

        UpsertBody body = UpsertBody.first(JSON, LIST_ID, all);

        assertEquals(3, body.size());
        Map<?, ?> parsed = (Map<?, ?>) JSON.parse(body.body());
        assertEquals(List.of(LIST_ID), parsed.get("list_ids"));
        assertEquals(3, ((List<?>) parsed.get("contacts")).size());
        int envelope = ("{\"list_ids\":[\"" + LIST_ID + "\"],\"contacts\":[]}").getBytes(StandardCharsets.UTF_8).length;
        assertEquals(envelope + 3 * 60 + 2, body.body().length, "contacts and the commas between them");
    }

    @Test
    void withoutAListTheBodyHasNoListIds() {
        UpsertBody body = UpsertBody.first(JSON, null, contacts(2, 60));

        Map<?, ?> parsed = (Map<?, ?>) JSON.parse(body.body());
        assertEquals(List.of("contacts"), List.copyOf(parsed.keySet()));
        assertEquals("{\"contacts\":[]}".length() + 2 * 60 + 1, body.body().length);
    }

    @Test
    void aRequestStopsAtThirtyThousandContacts() {
        UpsertBody body = UpsertBody.first(JSON, LIST_ID, contacts(30_005, 60));

        assertEquals(30_000, body.size());
    }

    @Test
    void aRequestStopsBeforeSixMillionBytesAndFillsUpToThem() {
        UpsertBody body = UpsertBody.first(JSON, LIST_ID, contacts(5_000, 2_000));

        assertTrue(body.body().length <= UpsertBody.MAX_BYTES, body.body().length + " bytes");
        assertTrue(body.body().length + 2_001 > UpsertBody.MAX_BYTES, "the next contact (and its comma) would not fit");
        int envelope = ("{\"list_ids\":[\"" + LIST_ID + "\"],\"contacts\":[]}").length();
        assertEquals((UpsertBody.MAX_BYTES - envelope + 1) / 2_001, body.size(), "n contacts and n - 1 commas");
    }
}
