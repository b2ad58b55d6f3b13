package io.alknet.metrics.prometheus;

import io.alknet.api.metrics.MetricsFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.metrics.prometheus.internal.PrometheusMetricsFactory;

import java.util.List;

/** Contributes the {@code prometheus} metrics backend. */
public final class PrometheusPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public List<MetricsFactory> metrics() {
        return List.of(new PrometheusMetricsFactory());
    }
}
