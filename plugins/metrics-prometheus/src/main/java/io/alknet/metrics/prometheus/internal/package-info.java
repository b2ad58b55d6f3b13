/** The Prometheus backend's implementation: Micrometer's registry, the tag guard and the HTTP endpoint. Not for use outside this plugin. */
package io.alknet.metrics.prometheus.internal;
