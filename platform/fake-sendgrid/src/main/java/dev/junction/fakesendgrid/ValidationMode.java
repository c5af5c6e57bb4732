package dev.junction.fakesendgrid;

/** How the fake checks incoming requests against SendGrid's OpenAPI documents. */
public enum ValidationMode {
    /** Validate; record violations and answer them with 400 (the default). */
    STRICT,
    /** Validate and record violations, but let the request through to the fake's handlers. */
    REPORT,
    /** Do not validate (for large benchmark runs); business limits are still enforced. */
    OFF
}
