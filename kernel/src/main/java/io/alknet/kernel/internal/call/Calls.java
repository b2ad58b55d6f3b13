package io.alknet.kernel.internal.call;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.identity.CredentialProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The call protocol of one process (server or client): its operation table with the built-ins, the
 * dispatcher, the timers for deadlines, and the engines of its connections. Thread-safe.
 */
public final class Calls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");
    /** Events held per pubsub subscriber before it loses some (setting {@code calls.pubsub-buffer}). */
    public static final int DEFAULT_EVENT_BUFFER = 16_384;
    /** Calls the call graph keeps before dropping the oldest finished trees. */
    static final int GRAPH_CAPACITY = 10_000;
    /** How often a worker says it is alive; a head drops a worker silent for three of these. */
    static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(10);

    private final OperationTable table = new OperationTable();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("alknet-call-timers").factory());
    private final Dispatcher dispatcher;
    private final int eventBuffer;
    private final Optional<CredentialProvider> credentials;

    /**
     * @param contributed the plugins' operations, each with its plugin's class loader
     * @param credentials what handlers get from {@code env.credentials(service)}; closed with this
     */
    public Calls(List<Map.Entry<Operation, ClassLoader>> contributed, Optional<CredentialProvider> credentials,
                 Map<Class<?>, Object> services, int eventBuffer, io.alknet.api.metrics.Metrics metrics) {
        this.eventBuffer = eventBuffer;
        this.credentials = credentials;
        this.dispatcher = new Dispatcher(table, timers, services, credentials,
                new io.alknet.flowgraph.CallGraph(GRAPH_CAPACITY, java.time.Clock.systemUTC()), metrics);
        BuiltIns.registerCommon(table, dispatcher);
        for (Map.Entry<Operation, ClassLoader> entry : contributed) {
            try {
                table.register(entry.getKey(), entry.getValue());
            } catch (IllegalArgumentException e) {
                LOG.warn("operation.rejected path={} reason=\"{}\"", entry.getKey().spec().path(), e.getMessage());
            }
        }
    }

    /** Adds {@code /server/status} and {@code /server/reload}. */
    public void serverOperations(Supplier<Map<String, Object>> status, Supplier<Long> reload) {
        BuiltIns.registerServer(table, status, reload);
        Mesh mesh = new Mesh(alias -> alias.equals(BuiltIns.HEAD) || table.specs().stream().anyMatch(spec -> spec.namespace().equals(alias)));
        dispatcher.mesh(mesh);
        BuiltIns.registerHead(table, mesh);
        long timeout = HEARTBEAT.multipliedBy(3).toNanos();
        timers.scheduleWithFixedDelay(() -> mesh.sweep(timeout), HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    /** Makes {@code service} available to handlers through {@code env.service(type)} (the service path). */
    public <T> void provide(Class<T> type, T service) {
        dispatcher.provide(type, service);
    }

    public OperationTable operations() {
        return table;
    }

    public int eventBuffer() {
        return eventBuffer;
    }

    /** Counts the pubsub events subscribers lost because they could not keep up ({@code alknet.pubsub.dropped}). */
    public io.alknet.api.metrics.Metrics.Counter droppedEvents() {
        return droppedEvents(dispatcher.metrics());
    }

    static io.alknet.api.metrics.Metrics.Counter droppedEvents(io.alknet.api.metrics.Metrics metrics) {
        return metrics.counter("alknet.pubsub.dropped", "Pubsub events dropped because a subscriber could not keep up.");
    }

    /** The call protocol on a new connection whose peer is {@code peer}. */
    public CallEngine engine(Identity peer, EnvelopeSender sender, CallEngine.EventBus bus, String peerLabel) {
        return new CallEngine(dispatcher, peer, sender, bus, peerLabel, eventBuffer, false);
    }

    /** The call protocol on a worker's connection to its head, which says on whose behalf it calls. */
    CallEngine workerEngine(Identity head, EnvelopeSender sender, CallEngine.EventBus bus, String peerLabel) {
        return new CallEngine(dispatcher, head, sender, bus, peerLabel, eventBuffer, true);
    }

    /**
     * Runs one query or mutation for {@code identity} in this process (HTTP's path): access control,
     * validation and the deadline apply as for a call over a connection.
     */
    public CompletableFuture<Object> invoke(Identity identity, String path, Object input, Map<String, Object> metadata,
                                            Duration timeout) {
        CallContext context = Dispatcher.rootContext(UUID.randomUUID().toString(), identity, metadata,
                Optional.of(Instant.now().plus(timeout)));
        CompletableFuture<Object> result = dispatcher.invoke(path, input, context, null);
        result.whenComplete((value, error) -> {
            if (error instanceof java.util.concurrent.CancellationException) {
                context.cancel(CallError.of(CallError.ABORTED, "the caller went away"));
            }
        });
        return result;
    }

    /** The error a failed call carries, whatever wraps it. */
    public static CallError errorOf(Throwable error) {
        return CallEngine.errorOf(error).orElseGet(() -> {
            Throwable root = error;
            while (root.getCause() != null && root != root.getCause()) {
                root = root.getCause();
            }
            return root instanceof OperationException operation ? operation.error()
                    : CallError.of(CallError.EXECUTION_ERROR, String.valueOf(root.getMessage()));
        });
    }

    @Override
    public void close() {
        timers.shutdownNow();
        credentials.ifPresent(CredentialProvider::close);
    }
}
