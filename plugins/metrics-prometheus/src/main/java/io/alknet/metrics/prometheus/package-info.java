/**
 * The Prometheus metrics backend: {@link io.alknet.metrics.prometheus.PrometheusPlugin} contributes it; the server
 * serves it at {@code /metrics} on an address of its own ({@code alknet serve --metrics 127.0.0.1:9464}).
 */
package io.alknet.metrics.prometheus;
