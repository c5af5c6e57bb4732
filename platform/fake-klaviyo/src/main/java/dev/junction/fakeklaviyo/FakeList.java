package dev.junction.fakeklaviyo;

import java.time.Instant;

/**
 * A snapshot of a list.
 *
 * @param id list id
 * @param name list name
 * @param memberCount number of member profiles
 * @param created when created
 * @param updated when last renamed
 */
public record FakeList(String id, String name, int memberCount, Instant created, Instant updated) {
}
