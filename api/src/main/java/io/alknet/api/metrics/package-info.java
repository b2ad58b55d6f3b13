/**
 * What the server counts. The kernel and plugins record into {@link io.alknet.api.metrics.Metrics} (from
 * {@link io.alknet.api.plugin.PluginContext#metrics()}); a plugin contributes the backend that exports them through a
 * {@link io.alknet.api.metrics.MetricsFactory}. Without one every record goes nowhere.
 */
package io.alknet.api.metrics;
