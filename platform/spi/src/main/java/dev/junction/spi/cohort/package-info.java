/** The {@code cohort_sync} capability: keep a vendor list equal to a Junction cohort. */
package dev.junction.spi.cohort;
