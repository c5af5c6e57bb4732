package dev.junction.spi.cohort;

import java.util.Locale;

/**
 * Where a vendor-side asynchronous job (an import, a bulk removal) stands, as reported through
 * {@link CohortSyncRun#vendorJob}. Map the vendor's own status words onto these and, if useful, put
 * the vendor's word in the details (e.g. {@code "vendor_status": "errored"}).
 *
 * @since 1.0
 */
public enum VendorJobState {
    /** Submitted; the vendor has not started it. */
    QUEUED,
    /** The vendor is working on it. */
    PROCESSING,
    /** Finished; per-member errors, if any, are reported as rejections. */
    COMPLETED,
    /** Finished without doing its work. */
    FAILED,
    /** Stopped before it finished (by the vendor or a user). */
    CANCELLED;

    /** The name used in the API and JSON, e.g. {@code completed}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the job will not change any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
