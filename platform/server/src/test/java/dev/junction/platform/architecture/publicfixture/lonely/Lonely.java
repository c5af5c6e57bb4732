package dev.junction.platform.architecture.publicfixture.lonely;

/** A deliberate violation for ArchitectureTest: public, yet no other package uses it. */
public final class Lonely {
    private Lonely() {
    }
}
