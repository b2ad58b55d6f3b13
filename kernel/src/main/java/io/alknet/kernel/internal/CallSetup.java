package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.Operation;
import io.alknet.api.plugin.PluginContext;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.internal.call.Calls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a process's {@link Calls} from the plugins' operations and the {@code calls.*} settings. */
final class CallSetup {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");

    private CallSetup() {
    }

    /** {@code server} is the server's plugin context, empty for a client (which gets no server operations). */
    static Calls calls(PluginCatalog catalog, Map<String, String> settings, Optional<PluginContext> server) {
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
        String buffer = settings.getOrDefault("calls.pubsub-buffer", String.valueOf(Calls.DEFAULT_EVENT_BUFFER));
        int eventBuffer;
        try {
            eventBuffer = Integer.parseInt(buffer.strip());
        } catch (NumberFormatException e) {
            eventBuffer = -1;
        }
        if (eventBuffer < 1) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "calls.pubsub-buffer must be a positive number of events, got '"
                    + buffer + "'");
        }
        return new Calls(contributed, Optional.empty(), Map.of(), eventBuffer);
    }
}
