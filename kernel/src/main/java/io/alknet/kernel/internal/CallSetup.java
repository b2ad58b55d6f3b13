package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.Operation;
import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.PluginContext;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.internal.call.Calls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a process's {@link Calls} from the plugins' operations (a server's also their server operations) and credential
 * providers and the {@code calls.*} settings.
 */
final class CallSetup {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");

    private CallSetup() {
    }

    /**
     * @param server the server's plugin context, empty for a client (which gets no server operations)
     */
    static Calls calls(Components components, Optional<PluginContext> server) {
        PluginCatalog catalog = components.catalog();
        List<Map.Entry<Operation, ClassLoader>> contributed = new ArrayList<>();
        for (PluginCatalog.PluginInfo plugin : catalog.plugins()) {
            try {
                for (Operation operation : PluginCalls.withLoader(plugin.classLoader(), () -> plugin.plugin().operations())) {
                    contributed.add(Map.entry(operation, plugin.classLoader()));
                }
                if (server.isPresent()) {
                    for (Operation operation : PluginCalls.withLoader(plugin.classLoader(),
                            () -> plugin.plugin().serverOperations(server.get()))) {
                        contributed.add(Map.entry(operation, plugin.classLoader()));
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("plugin.operations.failed plugin={} jar={} error=\"{}\"", plugin.name(), plugin.jarName(), e.toString());
            }
        }
        String buffer = components.setting(KernelSettings.PUBSUB_BUFFER).orElse(String.valueOf(Calls.DEFAULT_EVENT_BUFFER));
        int eventBuffer;
        try {
            eventBuffer = Integer.parseInt(buffer.strip());
        } catch (NumberFormatException e) {
            eventBuffer = -1;
        }
        if (eventBuffer < 1) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, KernelSettings.PUBSUB_BUFFER + " must be a positive number of events, got '"
                    + buffer + "'");
        }
        return new Calls(contributed, credentials(components, server.orElse(components.context())), Map.of(), eventBuffer,
                server.map(PluginContext::metrics).orElse(io.alknet.api.metrics.Metrics.NONE));
    }

    /**
     * Tells every plugin, once, that the server of {@code context} stopped ({@link AlknetPlugin#serverStopped}); the
     * server registers it first, so that it runs after every other component closed.
     */
    static AutoCloseable serverStopped(PluginCatalog catalog, PluginContext context) {
        return () -> {
            for (PluginCatalog.PluginInfo plugin : catalog.plugins()) {
                try {
                    PluginCalls.withLoader(plugin.classLoader(), () -> {
                        plugin.plugin().serverStopped(context);
                        return null;
                    });
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("plugin.stop.failed plugin={} jar={} error=\"{}\"", plugin.name(), plugin.jarName(), e.toString());
                }
            }
        };
    }

    /** Every contributed credential provider, asked in plugin order; none when no plugin contributes one. */
    private static Optional<CredentialProvider> credentials(Components components, PluginContext context) {
        List<CredentialProvider> providers = new ArrayList<>();
        try {
            for (String name : components.catalog().of(ExtensionKind.CREDENTIAL_PROVIDER).keySet()) {
                providers.add(components.create(ExtensionKind.CREDENTIAL_PROVIDER, name, (factory, settings) -> factory.create(settings, context)));
            }
        } catch (RuntimeException e) {
            providers.forEach(CredentialProviders::closeQuietly);
            throw e;
        }
        return providers.isEmpty() ? Optional.empty() : Optional.of(new CredentialProviders(providers));
    }
}
