/**
 * Framework-free implementations of SPI services, used by the platform and by the test kit, so a
 * plugin's tests run the same HTTP policy and JSON handling as production.
 */
package dev.junction.runtime;
