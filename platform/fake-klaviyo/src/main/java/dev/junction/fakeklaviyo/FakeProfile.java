package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a profile in the fake.
 *
 * @param id Klaviyo-style id (sorts in creation order)
 * @param email lower-cased e-mail, or null
 * @param phoneNumber E.164 phone number, or null
 * @param externalId external id, or null
 * @param attributes the other text attributes that are set (first_name, last_name, organization, ...)
 * @param properties custom properties (a copy)
 * @param emailMarketingConsent {@code NEVER_SUBSCRIBED}, {@code SUBSCRIBED} or {@code UNSUBSCRIBED}
 * @param emailConsentAt when the consent last changed, or null
 * @param created when created
 * @param updated when last changed
 */
public record FakeProfile(String id, String email, String phoneNumber, String externalId,
        Map<String, String> attributes, ObjectNode properties, String emailMarketingConsent, Instant emailConsentAt,
        Instant created, Instant updated) {
}
