package dev.junction.fakeklaviyo;

/** What the fake does with a request that breaks the spec. */
public enum ValidationMode {
    /** Record the violation and answer 400 (415 for a wrong content type) with Klaviyo's error document. */
    STRICT,
    /** Record the violation and handle the request anyway. */
    REPORT,
    /** Do not validate (limits stated in descriptions, such as 1,000 per call, still apply). */
    OFF
}
