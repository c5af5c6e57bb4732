package dev.junction.fakesendgrid;

import java.time.Instant;

/**
 * A snapshot of a Marketing Campaigns list.
 *
 * @param id the list id (a UUID)
 * @param name the list name
 * @param contactCount the number of contacts on the list when the snapshot was taken
 * @param createdAt when the list was created
 */
public record FakeList(String id, String name, long contactCount, Instant createdAt) {}
