/**
 * The Junction connector SPI: everything a connector plugin sees of the platform.
 *
 * <h2>Reading order (ten minutes)</h2>
 * <ol>
 *   <li>{@link dev.junction.spi.Connector}: the one extension every plugin declares, with its
 *       {@link dev.junction.spi.ConnectorDescriptor} and connection {@link dev.junction.spi.CheckResult check}.</li>
 *   <li>{@link dev.junction.spi.ConnectorContext}: what the platform hands to every call: the
 *       installation's {@link dev.junction.spi.ConnectorConfig config} (secrets resolved), an
 *       {@link dev.junction.spi.ConnectorHttp HTTP client} with retries and rate limits (build URLs
 *       with {@link dev.junction.spi.HttpCall#endpoint}), an {@link dev.junction.spi.EventLog event log},
 *       a clock, a {@link dev.junction.spi.StateStore state store} and a {@link dev.junction.spi.Json JSON codec}.</li>
 *   <li>The capabilities, each an extension point of its own and declared only by implementing it
 *       in an {@code @Extension} ({@link dev.junction.spi.ConnectorCapability}):
 *       {@link dev.junction.spi.source.EventSource}, {@link dev.junction.spi.cohort.CohortSync},
 *       {@link dev.junction.spi.objects.ObjectSync}, {@link dev.junction.spi.destination.EventDestination}.</li>
 *   <li>Errors: {@link dev.junction.spi.ConnectorException} and its two kinds,
 *       {@link dev.junction.spi.RetriableConnectorException} and {@link dev.junction.spi.PermanentConnectorException}.</li>
 * </ol>
 *
 * <h2>Every call: its time limit, what it may throw, what the platform then does</h2>
 * Time limits are the platform's defaults (operators change them with the settings named). In
 * every row, also: anything thrown that is not a {@link dev.junction.spi.ConnectorException}, a
 * {@code null} where a value is due, or running past the limit <b>disables the connector</b> (the
 * reason shows in the catalog; {@code POST /v1/admin/plugins/{slug}/enable} lifts it), and while it
 * is disabled every call is answered for it as the last column of its row says. What a plugin calls
 * back into the platform during a call ({@link dev.junction.spi.ConnectorHttp}, the state store, the
 * event log, a run's or a sink's methods) counts toward that call's limit.
 * <table>
 *   <caption>SPI calls</caption>
 *   <tr><th>Call</th><th>Limit</th><th>Retriable…</th><th>Permanent…</th><th>While disabled</th></tr>
 *   <tr><td>{@code Connector.descriptor()}</td><td>5 s, once at load</td><td colspan="2">not allowed: the plugin is
 *       not loaded, with the reason</td><td>-</td></tr>
 *   <tr><td>(load) the plugin's extensions</td><td>-</td><td colspan="2">not a call: the plugin is not loaded when
 *       it has not exactly one {@code Connector}, when an extension implements {@code ConnectorCapability} but
 *       no capability, or when two extensions provide one capability (the reason names the classes)</td><td>-</td></tr>
 *   <tr><td>{@code Connector.check}</td><td>30 s ({@code junction.plugins.call-timeout})</td><td>install/patch
 *       answers 502 {@code connection-check-unavailable} with the message (secrets masked); nothing stored</td>
 *       <td>the check fails with the exception's code and message, as a failed {@code CheckResult} would</td>
 *       <td>503</td></tr>
 *   <tr><td>{@code EventSource.verify}</td><td>30 s</td><td colspan="2">the webhook answers 503 (the sender
 *       retries); a verdict that does not accept answers 403 and is logged as rejected</td><td>503</td></tr>
 *   <tr><td>{@code EventSource.normalize}</td><td>30 s</td><td>503, the sender retries</td><td>400 with the message,
 *       logged as malformed; nothing of the batch stored</td><td>503</td></tr>
 *   <tr><td>{@code EventDestination.maxBatchSize()}</td><td>none: return a constant, no I/O</td><td colspan="2">must
 *       not throw; below 1 counts as 1, above 1,000 as 1,000</td><td>not called</td></tr>
 *   <tr><td>{@code EventDestination.deliver}</td><td>60 s ({@code junction.delivery.call-timeout})</td>
 *       <td>the whole batch is retried with exponential backoff (1 s doubling to 10 min), or after the
 *       exception's {@code retryAfter} when longer, until 10 attempts or 24 h, then dead</td>
 *       <td>the whole batch is dead with the message</td><td>the batch waits, not counted as an attempt</td></tr>
 *   <tr><td>{@code CohortSync.validate(config, settings)}</td><td>30 s, no I/O</td><td colspan="2">the sync is refused
 *       with 422 and the message; returned problems are 422 with one error per problem</td><td>503</td></tr>
 *   <tr><td>{@code CohortSync.run}</td><td>2 h ({@code junction.cohort-sync.run-timeout})</td><td>the run is
 *       requeued with backoff (5 s doubling, at most 10 min, or {@code retryAfter}), failed after 5 attempts;
 *       members reported so far stay reported</td>
 *       <td>the run fails with the message</td><td>the run fails</td></tr>
 *   <tr><td>{@code ObjectSync.collections}</td><td>30 s</td><td colspan="2">the run (or enabling object sync)
 *       fails with the message</td><td>the run fails</td></tr>
 *   <tr><td>{@code ObjectSync.sync}</td><td>6 h ({@code junction.object-sync.run-timeout})</td><td>the run is
 *       requeued with backoff (30 s doubling, at most 30 min, or {@code retryAfter}), failed after 5 attempts; rows stored so
 *       far stay</td><td>the run fails with the message; rows stored so far stay, no pass is completed</td>
 *       <td>the run fails</td></tr>
 * </table>
 * A message a plugin puts in an exception is shown to the tenant and stored in the event log: it
 * must not hold credentials (the platform masks the installation's secret values, but cannot know
 * every token a vendor answers with).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Only JDK types and the types of this package cross the boundary. A plugin bundles its own
 *       libraries; the SPI and PF4J are {@code provided} by the platform.</li>
 *   <li>A plugin never touches the platform's database, files or another installation: all it
 *       needs comes through its {@link dev.junction.spi.ConnectorContext}.</li>
 *   <li>Records never share mutable state with their caller: maps and lists are copied or
 *       unmodifiable, and a {@code byte[]} body is copied in and out.</li>
 *   <li>The events, members and records a plugin receives are vendor-neutral: the platform reads
 *       its sources' formats (such as Segment's) into them.</li>
 *   <li>The SPI follows semantic versioning ({@link dev.junction.spi.SpiVersion}); new methods arrive
 *       as {@code default} methods tagged {@code @since}, so plugins built for 1.0 keep loading on 1.x.
 *       The build compares the SPI with its last released jar and fails on a breaking change
 *       without a major version bump ({@code platform/spi/compat/README.md}).</li>
 * </ul>
 */
package dev.junction.spi;
