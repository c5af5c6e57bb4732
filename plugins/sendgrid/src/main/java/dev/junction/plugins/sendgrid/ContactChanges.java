package dev.junction.plugins.sendgrid;

import dev.junction.spi.destination.DestinationEvent;

import java.util.Map;

/**
 * What one event changes on its SendGrid contact.
 *
 * @param event        the event
 * @param email        the contact's e-mail, trimmed and lower-cased: SendGrid lower-cases e-mails and
 *                     keys contacts by them, so events whose e-mails differ only in case are one contact
 * @param fields       reserved contact fields by their SendGrid names ({@code first_name},
 *                     {@code last_name}, {@code phone_number}, and {@code external_id} when
 *                     the installation sets {@code user_id_as_external_id})
 * @param customFields custom field values
 * @param joinsList    whether the contact is to be added to the configured default list
 */
record ContactChanges(DestinationEvent event, String email, Map<String, Object> fields,
                      Map<DestinationField, Object> customFields, boolean joinsList) {

    ContactChanges {
        fields = Map.copyOf(fields);
        customFields = Map.copyOf(customFields);
    }
}
