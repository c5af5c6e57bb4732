package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;

/** {@code /v3/marketing/field_definitions*}: custom field definitions. */
final class FieldsApi {
    private final Store store;
    private final String baseUrl;

    FieldsApi(Store store, String baseUrl) {
        this.store = store;
        this.baseUrl = baseUrl;
    }

    private ObjectNode fieldJson(Store.FieldDef f) {
        ObjectNode n = Json.object();
        n.put("id", f.id());
        n.put("name", f.name());
        n.put("field_type", f.type().wireName());
        return n;
    }

    Reply listFields(Call call) {
        ObjectNode body = Json.object();
        ArrayNode custom = body.putArray("custom_fields");
        store.fields.values().stream().sorted(Comparator.comparing(Store.FieldDef::name)).forEach(f -> custom.add(fieldJson(f)));
        ArrayNode reserved = body.putArray("reserved_fields");
        for (int i = 0; i < Reserved.DEFINITIONS.size(); i++) {
            String[] d = Reserved.DEFINITIONS.get(i);
            ObjectNode n = reserved.addObject();
            n.put("id", "_rf" + i + "_" + d[1].charAt(0));
            n.put("name", d[0]);
            n.put("field_type", d[1]);
            n.put("read_only", Boolean.parseBoolean(d[2]));
        }
        body.putObject("_metadata").put("self", baseUrl + "/v3/marketing/field_definitions");
        return Reply.json(200, body);
    }

    Reply createField(Call call) {
        JsonNode body = call.jsonObject();
        String name = Requests.requiredString(body, "name");
        FieldType type;
        try {
            type = FieldType.fromWireName(Requests.requiredString(body, "field_type"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("field_type", "field_type must be one of Text, Number, Date");
        }
        ObjectNode out = fieldJson(store.createField(name, type));
        out.putObject("_metadata").put("self", baseUrl + "/v3/marketing/field_definitions/" + out.get("id").asText());
        return Reply.json(200, out);
    }

    Reply updateField(Call call) {
        ObjectNode out = fieldJson(store.renameField(call.pathParam("custom_field_id"), Requests.requiredString(call.jsonObject(), "name")));
        out.putObject("_metadata").put("self", baseUrl + "/v3/marketing/field_definitions/" + out.get("id").asText());
        return Reply.json(200, out);
    }

    Reply deleteField(Call call) {
        store.deleteField(call.pathParam("custom_field_id"));
        return Reply.empty(204);
    }
}
