package dev.junction.platform.architecture.cyclefixture.right;

import dev.junction.platform.architecture.cyclefixture.left.Left;

/** The other half of the deliberate package cycle. */
public class Right {
    Left left;
}
