/**
 * The connector test kit: run a connector's check and capabilities against an in-memory
 * {@link dev.junction.spi.ConnectorContext} ({@link dev.junction.testkit.TestContext}), assert on
 * what it logged and called, script a vendor with {@link dev.junction.testkit.FakeHttpServer}, record
 * an object sync's pass with {@link dev.junction.testkit.RecordingRecordSink}, and
 * hold a connector to the platform's rules with {@link dev.junction.testkit.ConnectorContractTest}.
 * See {@code plugins/README.md} for a walk-through.
 */
package dev.junction.testkit;
