package dev.junction.platform.tracing;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * Whether and where spans go ({@code junction.tracing.*}, from {@code JUNCTION_TRACING_*}).
 *
 * @param enabled      record and export spans
 * @param otlpEndpoint the OTLP/HTTP traces endpoint spans are sent to
 */
@Context
@ConfigurationProperties("junction.tracing")
record TracingSettings(@Bindable(defaultValue = "false") boolean enabled,
                       @Bindable(defaultValue = "http://localhost:4318/v1/traces") @NotBlank String otlpEndpoint) {
}
