package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An event recorded by the fake.
 *
 * @param id event id
 * @param metricName the metric's name (the event name)
 * @param profileId the profile it belongs to
 * @param uniqueId the unique_id given (or the default: the event time to the second)
 * @param value the value, or null
 * @param properties the event properties (a copy)
 * @param time the event time
 */
public record FakeEvent(String id, String metricName, String profileId, String uniqueId, Double value,
        ObjectNode properties, Instant time) {
}
