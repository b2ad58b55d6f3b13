package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.Caller;
import io.alknet.api.call.OperationRegistry;
import io.alknet.api.call.PubSub;
import io.alknet.api.interfaces.HttpGateway;
import io.alknet.api.interfaces.MessageInterface;
import io.alknet.api.interfaces.ServerConnection;
import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.metrics.Metrics;
import io.alknet.api.metrics.MetricsBackend;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.internal.call.Calls;
import io.alknet.kernel.ServerOptions;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running server: one transport per scheme, one stream interface per name, one accept loop per
 * listener (every listener is served), the dynamic configuration, and orderly shutdown in reverse order.
 */
public final class ServerRuntime implements AlknetServer {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.server");

    private final ServerOptions options;
    private final Components components;
    private final AuditLog audit;
    private final Clock clock;
    private final PluginCatalog catalog;
    private final Closer closer = new Closer();
    private final Map<String, Transport> transports = new LinkedHashMap<>();
    private final Map<String, StreamInterface> interfaces = new LinkedHashMap<>();
    private final Map<ServerConnection, ConnectionContext> sessions = new ConcurrentHashMap<>();
    /** Per-identity accounting and quotas, kept across reloads; set by {@link #start()}. */
    private volatile QuotaBook quotas;
    private final List<AcceptLoop> loops = new ArrayList<>();
    private final List<TransportAddress> bound = new ArrayList<>();
    private final Map<String, String> info = new LinkedHashMap<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private DynamicConfigHolder config;
    private Outbound outbound;
    private RemoteListeners remoteListeners;
    private ServerCalls calls;
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean stopped;
    /** The first started message interface that answers HTTP in-process; read from I/O threads. */
    private volatile HttpGateway gateway;
    /** The components' context; records into the metrics backend once {@link #start()} started it. */
    private ServerPluginContext context;

    @Inject
    public ServerRuntime(ServerOptions options, Components components, AuditLog audit, Clock clock, PluginCatalog catalog) {
        this.options = options;
        this.catalog = catalog;
        this.components = components;
        this.audit = audit;
        this.clock = clock;
        this.context = new ServerPluginContext(components.context(), () -> Optional.ofNullable(gateway), Metrics.NONE);
    }

    /**
     * Builds every component and binds every listener. On failure everything already started is closed
     * again and the error is thrown.
     */
    public synchronized ServerRuntime start() {
        try {
            // first, so that every component records into it from its first connection, and it closes last
            context = context.withMetrics(startMetrics());
            KernelMetrics metrics = new KernelMetrics(context.metrics());
            quotas = new QuotaBook(metrics, clock);
            QuotaBook book = quotas;
            AuditLog audit = this.audit.counting(metrics);
            closer.register(CallSetup.serverStopped(catalog, context));
            config = closer.register(new DynamicConfigHolder(components, options.identityProviders(),
                    options.forwardingPolicy(), options.limits(), clock));
            DynamicConfigHolder dynamic = config;
            SourceGuard guard = new SourceGuard(() -> dynamic.current().limits(), clock, audit);
            Optional<Transport> forwards = components.setting(KernelSettings.FORWARD_TRANSPORT).map(this::transport);
            if (forwards.isEmpty()) {
                LOG.info("server.forwarding.off reason=\"no {} setting\"", KernelSettings.FORWARD_TRANSPORT);
            }
            outbound = closer.register(new Outbound(forwards, config, audit));
            remoteListeners = new RemoteListeners(forwards);
            Calls shared = closer.register(CallSetup.calls(components, Optional.of(context)));
            shared.serverOperations(this::status, this::reload);
            calls = new ServerCalls(shared, config, audit, guard);
            for (ListenerSpec spec : options.listeners()) {
                Transport transport = transport(spec.address().scheme());
                StreamInterface streamInterface = streamInterface(spec.streamInterface());
                Listener listener = join(transport.listen(spec.address()), "cannot listen on " + spec.address());
                transport.info().forEach((key, value) -> info.put(spec.address().scheme() + "." + key, value));
                bound.add(listener.address());
                AcceptLoop loop = new AcceptLoop(listener, streamInterface, guard,
                        audit, stream -> new ConnectionContext(stream, config, outbound, remoteListeners, audit, guard, calls, metrics, book),
                        sessions, metrics);
                loops.add(closer.register(loop));
            }
            startMessageInterfaces();
            loops.forEach(AcceptLoop::start);
            bound.forEach(address -> LOG.info("server.listening address={}", address));
            return this;
        } catch (RuntimeException e) {
            try {
                closer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Starts the metrics backend whose {@code metrics.NAME.listen} setting is given, or none: metrics are off by default.
     * It gets a socket of its own, never a listener's.
     */
    private Metrics startMetrics() {
        List<String> configured = catalog.of(ExtensionKind.METRICS).keySet().stream()
                .filter(name -> options.settings().containsKey(ExtensionKind.METRICS.settingsPrefix(name) + "listen"))
                .toList();
        if (configured.isEmpty()) {
            return Metrics.NONE;
        }
        if (configured.size() > 1) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "metrics backends " + String.join(" and ", configured)
                    + " are both configured; give the listen setting of one");
        }
        String name = configured.getFirst();
        MetricsBackend backend = components.create(ExtensionKind.METRICS, name,
                (factory, settings) -> factory.create(settings, components.context()));
        closer.register(backend);
        PluginCalls.withLoader(backend.getClass().getClassLoader(), () -> {
            backend.start();
            return null;
        });
        backend.info().forEach((key, value) -> info.put("metrics." + key, value));
        LOG.info("server.metrics backend={} address={}", name, backend.info().getOrDefault("address", "-"));
        return backend;
    }

    /** Starts every message interface that has an {@code interface.NAME.listen} setting. */
    private void startMessageInterfaces() {
        for (String name : catalog.of(ExtensionKind.MESSAGE_INTERFACE).keySet()) {
            if (!options.settings().containsKey(ExtensionKind.MESSAGE_INTERFACE.settingsPrefix(name) + "listen")) {
                continue;
            }
            MessageInterface messageInterface = components.create(ExtensionKind.MESSAGE_INTERFACE, name,
                    (factory, settings) -> factory.create(settings, context));
            closer.register(messageInterface);
            join(PluginCalls.withLoader(messageInterface.getClass().getClassLoader(), () -> messageInterface.start(calls)),
                    "cannot start the " + name + " interface");
            messageInterface.info().forEach((key, value) -> info.put(name + "." + key, value));
            if (gateway == null) {
                gateway = messageInterface.httpGateway().orElse(null);
            }
            LOG.info("server.listening interface={} address={}", name, messageInterface.info().getOrDefault("address", "-"));
        }
    }

    private Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("sessions", sessions.size());
        status.put("callConnections", calls.engines().size());
        status.put("listeners", listenAddresses().stream().map(Object::toString).toList());
        status.put("configGeneration", config.current().generation());
        status.put("identities", quotas.status());
        status.put("uptimeMillis", System.currentTimeMillis() - startedAt);
        return status;
    }

    @Override
    public OperationRegistry operations() {
        return calls.calls().operations();
    }

    @Override
    public <T> void provideService(Class<T> type, T service) {
        calls.calls().provide(type, service);
    }

    @Override
    public PubSub pubsub() {
        return calls.hub();
    }

    @Override
    public List<Caller> peers() {
        return List.copyOf(calls.engines());
    }

    private synchronized Transport transport(String scheme) {
        Transport transport = transports.get(scheme);
        if (transport == null) {
            transport = components.create(ExtensionKind.TRANSPORT, scheme, (factory, settings) -> factory.create(settings, context));
            closer.register(transport);
            transport.start();
            transports.put(scheme, transport);
        }
        return transport;
    }

    private synchronized StreamInterface streamInterface(String name) {
        StreamInterface streamInterface = interfaces.get(name);
        if (streamInterface == null) {
            streamInterface = components.create(ExtensionKind.STREAM_INTERFACE, name, (factory, settings) -> factory.create(settings, context));
            closer.register(streamInterface);
            StreamInterface created = streamInterface;
            Map<String, String> facts = PluginCalls.withLoader(created.getClass().getClassLoader(), created::prepareServer);
            facts.forEach((key, value) -> info.put(name + "." + key, value));
            interfaces.put(name, streamInterface);
        }
        return streamInterface;
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AlknetException alknet) {
                throw alknet;
            }
            throw new AlknetException(ErrorCode.INVALID_CONFIG, what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AlknetException(ErrorCode.INTERNAL, what + ": timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlknetException(ErrorCode.INTERNAL, what + ": interrupted");
        }
    }

    @Override
    public synchronized List<TransportAddress> listenAddresses() {
        return List.copyOf(bound);
    }

    @Override
    public synchronized Map<String, String> info() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    @Override
    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public long reload() {
        return reloadWith(() -> config.reload());
    }

    @Override
    public long reload(ServerOptions newOptions) {
        return reloadWith(() -> config.reload(newOptions, options));
    }

    private long reloadWith(java.util.function.Supplier<DynamicConfig> reloading) {
        DynamicConfig next;
        try {
            next = reloading.get();
        } catch (RuntimeException e) {
            LOG.warn("config.reload.rejected error={}", LogFields.quoted(e.getMessage()));
            throw e;
        }
        int revoked = 0;
        for (ConnectionContext context : sessions.values()) {
            if (context.revalidate(next, options.gracePeriod())) {
                revoked++;
            }
        }
        if (revoked > 0) {
            LOG.info("config.reload.revoked sessions={}", revoked);
        }
        return next.generation();
    }

    @Override
    public StopResult stop(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return StopResult.GRACEFUL;
            }
            stopped = true;
        }
        loops.forEach(AcceptLoop::close);
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ServerConnection connection : List.copyOf(sessions.keySet())) {
            try {
                closing.add(connection.close(grace).toCompletableFuture());
            } catch (RuntimeException e) {
                LOG.warn("session.close.failed error={}", e.toString());
            }
        }
        StopResult result = StopResult.GRACEFUL;
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(grace.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            result = StopResult.FORCED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = StopResult.FORCED;
        }
        try {
            closer.close();
        } finally {
            LOG.info("server.stopped result={}", result);
            terminated.countDown();
        }
        return result;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        stop(options.gracePeriod());
    }
}
