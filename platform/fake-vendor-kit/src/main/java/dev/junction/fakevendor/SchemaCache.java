package dev.junction.fakevendor;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Schemas of a registry by location, each loaded once, and JSON texts validated against them. */
public final class SchemaCache {
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /**
     * @param registry the registry that holds the documents
     */
    public SchemaCache(SchemaRegistry registry) {
        this.registry = registry;
    }

    /**
     * Validates a JSON text.
     *
     * @param location the schema's location (IRI and JSON pointer, as {@link OpenApiReader} gives them)
     * @param json the JSON text
     * @return the errors, empty when valid
     */
    public List<Error> errors(String location, String json) {
        Schema schema = schemas.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
        return schema.validate(json, InputFormat.JSON);
    }
}
