package dev.junction.platform;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Beans the features share. Tests replace the clock to move time. */
@Factory
class PlatformBeans {
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
