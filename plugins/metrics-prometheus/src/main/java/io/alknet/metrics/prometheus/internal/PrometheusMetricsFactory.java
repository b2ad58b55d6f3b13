package io.alknet.metrics.prometheus.internal;

import io.alknet.api.metrics.MetricsBackend;
import io.alknet.api.metrics.MetricsFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.util.List;
import java.util.Optional;

/**
 * Settings under {@code metrics.prometheus.}: {@code listen} ({@code HOST:PORT}; the backend runs only when it is
 * given). Anything else is refused.
 */
public final class PrometheusMetricsFactory implements MetricsFactory {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.string("listen", "Serve Prometheus metrics at http://HOST:PORT/metrics, e.g. --metrics 127.0.0.1:9464 "
                            + "(off by default). A socket of its own, never a listener's. An address other than loopback is "
                            + "allowed with a warning in the log: anyone who reaches it reads the server's counters.")
                    .withFlag("--metrics").withLabel("HOST:PORT").inFile("server.metrics"));

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public MetricsBackend create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        return new PrometheusBackend(MetricsAddress.parse(settings.require("listen")));
    }
}
