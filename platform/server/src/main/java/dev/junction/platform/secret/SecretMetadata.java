package dev.junction.platform.secret;

import java.time.Instant;

/** What may be shown about a secret: everything but its value. */
record SecretMetadata(String name, int version, Instant createdAt, Instant updatedAt) { }
