/**
 * An in-process fake of Klaviyo's REST API (revision 2026-07-15) for tests and benchmarks: {@link
 * dev.junction.fakeklaviyo.FakeKlaviyo} validates every request against Klaviyo's OpenAPI files, enforces scopes
 * and the published rate limits, runs bulk jobs asynchronously, delivers signed webhooks, records requests and
 * violations, and exposes its state through {@link dev.junction.fakeklaviyo.FakeKlaviyoState}. See README.md.
 */
package dev.junction.fakeklaviyo;
