package dev.junction.plugins.sendgrid;

/**
 * The SendGrid custom fields event delivery writes, by the name it finds or creates them under and
 * the type their values need.
 *
 * <p>The user id is not written to a field named {@code external_id}: that name is SendGrid's
 * External ID contact identifier ({@code ContactRequest.external_id} in tsg_mc_contacts_v3.json), a
 * field of the contact itself, and "a Custom Field name cannot collide with any Reserved Field
 * names" (CreateFieldDefinition). Setting the identifier instead
 * would bind every contact to it: "In order to update a contact, all of its existing identifiers
 * must be present" (UpdateContact), so the cohort sync's e-mail-only upserts, and an identify after
 * a user changed e-mail, would be refused, and identifiers must be unique among all contacts. The
 * user id therefore goes to the ordinary Text field {@code junction_user_id}. See README.md.
 */
enum DestinationField {
    /** {@code userId} of identify events. */
    USER_ID("junction_user_id", Type.TEXT),
    /** The URL of the latest page event. */
    LAST_PAGE_URL("last_page_url", Type.TEXT),
    /** {@code properties.product_id} of the latest {@code Product Viewed}. */
    LAST_PRODUCT_ID("last_product_id", Type.TEXT),
    /** When the latest {@code Order Completed} happened. */
    LAST_PURCHASE_AT("last_purchase_at", Type.DATE),
    /** The platform's computed {@code lifetime_value}. */
    LIFETIME_VALUE("lifetime_value", Type.NUMBER);

    /** A SendGrid custom field type, as {@code field_type} names it. */
    enum Type {
        TEXT("Text"), NUMBER("Number"), DATE("Date");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    private final String fieldName;
    private final Type type;

    DestinationField(String fieldName, Type type) {
        this.fieldName = fieldName;
        this.type = type;
    }

    /** The SendGrid field name. */
    String fieldName() {
        return fieldName;
    }

    Type type() {
        return type;
    }
}
