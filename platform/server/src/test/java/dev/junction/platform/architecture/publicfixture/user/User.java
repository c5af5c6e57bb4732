package dev.junction.platform.architecture.publicfixture.user;

import dev.junction.platform.architecture.publicfixture.lonely.Shared;

/** Uses {@link Shared} from another package (and is itself package-private). */
final class User {
    private User() {
    }

    static int value() {
        return Shared.one();
    }
}
