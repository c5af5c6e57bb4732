/**
 * A fake of SendGrid's v3 Marketing Campaigns API for tests and benchmarks.
 *
 * <p>Start one with {@link dev.junction.fakesendgrid.FakeSendGrid#start()}, point a SendGrid client at
 * {@link dev.junction.fakesendgrid.FakeSendGrid#baseUrl()} with
 * {@link dev.junction.fakesendgrid.FakeSendGrid#defaultApiKey()}, then inspect state, recorded requests and
 * OpenAPI violations. {@link dev.junction.fakesendgrid.FakeSendGridMain} runs it as a separate process.
 */
package dev.junction.fakesendgrid;
