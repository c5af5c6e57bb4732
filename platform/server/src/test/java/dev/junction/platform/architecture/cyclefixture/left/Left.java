package dev.junction.platform.architecture.cyclefixture.left;

import dev.junction.platform.architecture.cyclefixture.right.Right;

/** Half of a deliberate package cycle, which {@code ArchitectureTest} must report. */
public class Left {
    Right right;
}
