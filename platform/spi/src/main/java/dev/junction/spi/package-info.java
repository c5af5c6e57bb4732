/**
 * The Junction connector SPI: everything a connector plugin sees of the platform.
 *
 * <h2>Reading order (ten minutes)</h2>
 * <ol>
 *   <li>{@link dev.junction.spi.Connector}: the one extension every plugin declares, with its
 *       {@link dev.junction.spi.ConnectorDescriptor} and connection {@link dev.junction.spi.CheckResult check}.</li>
 *   <li>{@link dev.junction.spi.ConnectorContext}: what the platform hands to every call: the
 *       installation's {@link dev.junction.spi.ConnectorConfig config} (secrets resolved), an
 *       {@link dev.junction.spi.ConnectorHttp HTTP client} with retries and rate limits, an
 *       {@link dev.junction.spi.EventLog event log}, a clock, a {@link dev.junction.spi.StateStore state store}
 *       and a {@link dev.junction.spi.Json JSON codec}.</li>
 *   <li>The capabilities, each an extension point of its own: {@link dev.junction.spi.source.EventSource},
 *       {@link dev.junction.spi.cohort.CohortSync}, {@link dev.junction.spi.objects.ObjectSync},
 *       {@link dev.junction.spi.destination.EventDestination}.</li>
 *   <li>Errors: {@link dev.junction.spi.ConnectorException} and its two kinds,
 *       {@link dev.junction.spi.RetriableConnectorException} and {@link dev.junction.spi.PermanentConnectorException}.</li>
 * </ol>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Only JDK types and the types of this package cross the boundary. A plugin bundles its own
 *       libraries; the SPI and PF4J are {@code provided} by the platform.</li>
 *   <li>A plugin never touches the platform's database, files or another installation: all it
 *       needs comes through its {@link dev.junction.spi.ConnectorContext}.</li>
 *   <li>Every call into a plugin is time-boxed. A call that throws anything but a
 *       {@link dev.junction.spi.ConnectorException}, or that exceeds its time, disables the
 *       connector with the reason shown in the catalog, until an operator re-enables it.</li>
 *   <li>The SPI follows semantic versioning ({@link dev.junction.spi.SpiVersion}); new methods arrive
 *       as {@code default} methods tagged {@code @since}, so plugins built for 1.0 keep loading on 1.x.</li>
 * </ul>
 */
package dev.junction.spi;
