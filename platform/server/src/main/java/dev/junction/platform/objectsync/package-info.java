/**
 * Object sync: a connector's {@link dev.junction.spi.objects.ObjectSync} capability turned into
 * tables the platform owns, one PostgreSQL schema per installation.
 *
 * <ul>
 *   <li>{@link dev.junction.platform.objectsync.InstallationObjectSync}: the schema name and interval of
 *       an installation, created, changed and deleted with it.</li>
 *   <li>{@link dev.junction.platform.objectsync.CollectionTables}: every statement on those schemas (the
 *       platform's only dynamic SQL: names validated and quoted there).</li>
 *   <li>{@link dev.junction.platform.objectsync.TableRecordSink}: the sink a connector emits into, in
 *       bounded batches; rows missing from a complete pass are marked deleted.</li>
 *   <li>{@link dev.junction.platform.objectsync.ObjectSyncRunner}: schedules and runs, cluster-safe.</li>
 *   <li>{@link dev.junction.platform.objectsync.ObjectSyncController}: runs and collections over HTTP.</li>
 * </ul>
 */
package dev.junction.platform.objectsync;
