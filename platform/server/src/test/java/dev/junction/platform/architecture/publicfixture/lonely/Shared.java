package dev.junction.platform.architecture.publicfixture.lonely;

/** Public and used from another package: fine. */
public final class Shared {
    private Shared() {
    }

    public static int one() {
        return 1;
    }
}
