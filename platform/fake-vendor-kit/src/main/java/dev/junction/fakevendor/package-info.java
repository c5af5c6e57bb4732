/**
 * What the fake vendor servers share: {@link dev.junction.fakevendor.LoopbackServer} (the JDK HTTP server on
 * a loopback port), {@link dev.junction.fakevendor.PathTemplate} and {@link dev.junction.fakevendor.OperationIndex}
 * (matching request paths to an OpenAPI document's operations), {@link dev.junction.fakevendor.OpenApiReader}
 * (operations, parameters, bodies and responses of a document, with the JSON pointers of their schemas),
 * {@link dev.junction.fakevendor.SchemaCache} (schema validation), {@link dev.junction.fakevendor.QueryStrings}
 * and {@link dev.junction.fakevendor.HttpAnswers}. Each fake keeps its vendor's own rules (authentication,
 * error bodies, limits); only the machinery is here.
 */
package dev.junction.fakevendor;
