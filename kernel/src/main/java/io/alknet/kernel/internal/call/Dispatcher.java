package io.alknet.kernel.internal.call;

import io.alknet.api.AlknetException;
import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationEnv;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import io.alknet.api.metrics.Metrics;
import io.alknet.flowgraph.CallGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs operations of one {@link OperationTable}: looks the operation up, checks access (unless the call is
 * trusted), validates the input, runs the handler on a virtual thread with its plugin's class loader,
 * enforces the deadline, and maps whatever the handler threw to a {@link CallError}. Thread-safe.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");

    private final OperationTable operations;
    private final ScheduledExecutorService timers;
    private final Map<Class<?>, Object> services;
    private final Optional<CredentialProvider> credentials;
    private final Metrics metrics;
    private final CallRecorder recorder;
    /** A head's routing table; null until this process serves workers. */
    private volatile Mesh mesh;
    /** A client's connection to its server, where nested calls this process cannot serve go; null on a server. */
    private volatile Supplier<CompletableFuture<CallEngine>> upstream;

    public Dispatcher(OperationTable operations, ScheduledExecutorService timers, Map<Class<?>, Object> services,
                      Optional<CredentialProvider> credentials, CallGraph graph, Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.operations = Objects.requireNonNull(operations, "operations");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.services = new java.util.concurrent.ConcurrentHashMap<>(services);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.recorder = new CallRecorder(graph);
    }

    void mesh(Mesh routes) {
        mesh = Objects.requireNonNull(routes, "routes");
    }

    Optional<Mesh> mesh() {
        return Optional.ofNullable(mesh);
    }

    void upstream(Supplier<CompletableFuture<CallEngine>> server) {
        upstream = Objects.requireNonNull(server, "server");
    }

    CallRecorder recorder() {
        return recorder;
    }

    public OperationTable operations() {
        return operations;
    }

    /** Makes {@code service} available to handlers through {@code env.service(type)}. */
    <T> void provide(Class<T> type, T service) {
        services.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(service, "service")));
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Metrics metrics() {
        return metrics;
    }

    /** Where the results of one call go. At most one of result, completed, failed is called. */
    interface Reply {
        void result(Object output);

        /** One item of a subscription; may block (back-pressure). */
        void item(Object output);

        void completed();

        void failed(CallError error);
    }

    /**
     * Starts a call. Exactly one terminal reply follows, unless the call is cancelled as {@code ABORTED}
     * (the caller gave up: nothing is sent back).
     *
     * @param engine the connection the call came over (for {@code env.invokePeer}), or null
     */
    void dispatch(String path, Object input, CallContext context, CallEngine engine, Reply reply) {
        recorder.requested(context, path);
        Optional<OperationTable.Entry> found = operations.entry(path);
        // the path a peer asked for is its text: only a registered one becomes a tag
        Guarded guarded = new Guarded(metrics.enabled()
                ? new Timed(reply, metrics, found.map(entry -> entry.operation().spec().path()).orElse("unknown"))
                : reply, context, recorder);
        if (found.isEmpty()) {
            routeOrFail(path, input, context, guarded);
            return;
        }
        Operation operation = found.get().operation();
        OperationSpec spec = operation.spec();
        if (!context.trusted() && !spec.access().allows(context.identity())) {
            guarded.failed(denied(path, spec));
            return;
        }
        List<String> problems = SchemaValidator.validate(spec.inputSchema(), input);
        if (!problems.isEmpty()) {
            guarded.failed(new CallError(CallError.VALIDATION_ERROR, String.join("; ", problems), false, Optional.of(problems)));
            return;
        }
        context.env(new Env(context, engine));
        silenceOnCancel(context, guarded);
        ScheduledFuture<?> timer = null;
        if (context.deadline().isPresent()) {
            long delay = Duration.between(Instant.now(), context.deadline().get()).toMillis();
            if (delay <= 0) {
                context.cancel(CallError.of(CallError.TIMEOUT, "the deadline passed before " + path + " started"));
                return;
            }
            timer = timers.schedule(() -> context.cancel(CallError.of(CallError.TIMEOUT, path + " did not finish before its deadline")),
                    delay, TimeUnit.MILLISECONDS);
        }
        ScheduledFuture<?> deadline = timer;
        ClassLoader loader = found.get().loader();
        Thread.ofVirtual().name("alknet-op-" + context.requestId()).start(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            recorder.running(context);
            try {
                if (spec.type() == OperationType.SUBSCRIPTION) {
                    operation.subscriptionHandler().subscribe(input, context, item -> {
                        if (context.isCancelled()) {
                            throw new OperationException(CallError.ABORTED, "the subscription was cancelled");
                        }
                        guarded.item(item);
                    });
                    if (!context.isCancelled()) {
                        guarded.completed();
                    }
                } else {
                    Object output = operation.handler().handle(input, context);
                    if (!context.isCancelled()) {
                        List<String> outputProblems = SchemaValidator.validate(spec.outputSchema(), output);
                        if (!outputProblems.isEmpty()) {
                            LOG.warn("call.output.invalid operation={} problems={}", path, outputProblems.size());
                        }
                        guarded.result(output);
                    }
                }
            } catch (Throwable error) {
                if (!context.isCancelled()) {
                    CallError mapped = toError(error, spec);
                    if (mapped.code().equals(CallError.EXECUTION_ERROR)) {
                        LOG.warn("call.handler.failed operation={} error={}", path, error.getClass().getName());
                    }
                    guarded.failed(mapped);
                }
                if (error instanceof Error fatal && !(error instanceof AssertionError)) {
                    throw fatal;
                }
            } finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
        });
    }

    private static CallError denied(String path, OperationSpec spec) {
        return CallError.of(CallError.ACCESS_DENIED, path + " needs scope(s) "
                + String.join(", ", new java.util.TreeSet<>(spec.access().requiredScopes()))
                + (spec.access().requiredScopesAny().isEmpty() ? "" : " and one of "
                + String.join(", ", new java.util.TreeSet<>(spec.access().requiredScopesAny()))));
    }

    /** A cancelled call answers nothing (the caller gave up), except a timeout, which the caller hears about. */
    private static void silenceOnCancel(CallContext context, Guarded guarded) {
        context.onCancel(() -> {
            CallError reason = context.cancellation().orElse(CallError.of(CallError.ABORTED, "cancelled"));
            if (reason.code().equals(CallError.TIMEOUT)) {
                guarded.failed(reason);
            } else {
                guarded.silence(reason);
            }
        });
    }

    /** A path this process does not serve: a head forwards {@code /{node}/…} to that worker; anything else is not found. */
    private void routeOrFail(String path, Object input, CallContext context, Guarded guarded) {
        Mesh routes = mesh;
        Optional<Mesh.Route> route;
        try {
            route = routes == null ? Optional.empty() : routes.route(path);
        } catch (OperationException e) {
            guarded.failed(e.error());
            return;
        }
        if (route.isEmpty()) {
            guarded.failed(CallError.of(CallError.OPERATION_NOT_FOUND, notFound(path, routes)));
            return;
        }
        Mesh.Route target = route.get();
        if (!context.trusted() && !target.spec().access().allows(context.identity())) {
            guarded.failed(denied(path, target.spec()));
            return;
        }
        if (target.spec().type() == OperationType.SUBSCRIPTION) {
            guarded.failed(CallError.of(CallError.OPERATION_NOT_FOUND, path + " is a subscription: a head routes queries and "
                    + "mutations only; subscribe on node " + target.node().alias() + " itself"));
            return;
        }
        silenceOnCancel(context, guarded);
        recorder.running(context);
        hop(target.node().engine(), target.node().alias(), target.path(), input, context).whenComplete((output, error) -> {
            if (error == null) {
                guarded.result(output);
            } else {
                guarded.failed(Calls.errorOf(error));
            }
        });
    }

    private static String notFound(String path, Mesh routes) {
        Optional<String> alias = Mesh.alias(path);
        if (routes == null || alias.isEmpty()) {
            return "no operation " + path;
        }
        List<String> nodes = routes.aliases();
        return "no operation " + path + ": no local operation has that path and no node '" + CallEngine.printable(alias.get())
                + "' is registered here (nodes: " + (nodes.isEmpty() ? "none" : String.join(", ", nodes)) + ")";
    }

    /**
     * Sends a call of {@code parent} on to another node over {@code engine} (a worker, or a client's server) as a hop of
     * the call graph: cancelled with the parent, with its deadline, on behalf of its caller. A connection that closes
     * under the call fails it at once with a retryable {@code ABORTED} naming the node.
     */
    private CompletableFuture<Object> hop(CallEngine engine, String node, String path, Object input, CallContext parent) {
        String requestId = UUID.randomUUID().toString();
        boolean recorded = recorder.requested(requestId, node + ":" + path, parent.recorded() ? Optional.of(parent.requestId())
                : Optional.empty(), parent.identity().name());
        if (recorded) {
            recorder.running(requestId);
        }
        CompletableFuture<Object> result = engine.forward(requestId, path, input, parent)
                .exceptionallyCompose(error -> {
                    Throwable root = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    CallError cause = root instanceof java.util.concurrent.CancellationException
                            ? parent.cancellation().orElse(CallError.of(CallError.ABORTED, "cancelled"))
                            : Calls.errorOf(error);
                    if (cause.code().equals(CallError.ABORTED) && !engine.isOpen()) {
                        cause = new CallError(CallError.ABORTED, "node " + node + " disconnected while " + path
                                + " ran there: it may or may not have finished", true, Optional.empty());
                    }
                    return CompletableFuture.failedFuture(new OperationException(cause));
                });
        if (recorded) {
            result.whenComplete((output, error) -> {
                if (error == null) {
                    recorder.completed(requestId);
                } else {
                    recorder.ended(requestId, Calls.errorOf(error));
                }
            });
        }
        return result;
    }

    /** Runs a query or mutation in-process and returns its result (the local path; also HTTP's). */
    CompletableFuture<Object> invoke(String path, Object input, CallContext context, CallEngine engine) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Optional<OperationTable.Entry> found = operations.entry(path);
        if (found.isPresent() && found.get().operation().spec().type() == OperationType.SUBSCRIPTION) {
            result.completeExceptionally(new OperationException(CallError.OPERATION_NOT_FOUND,
                    path + " is a subscription; subscribe to it instead of invoking it"));
            return result;
        }
        dispatch(path, input, context, engine, new Reply() {
            @Override
            public void result(Object output) {
                result.complete(output);
            }

            @Override
            public void item(Object output) {
                // not reached: subscriptions are refused above
            }

            @Override
            public void completed() {
                result.completeExceptionally(new OperationException(CallError.ABORTED, "completed without a result"));
            }

            @Override
            public void failed(CallError error) {
                result.completeExceptionally(new OperationException(error));
            }
        });
        context.onCancel(() -> result.completeExceptionally(new OperationException(
                context.cancellation().orElse(CallError.of(CallError.ABORTED, "cancelled")))));
        return result;
    }

    /**
     * What a handler's failure means on the wire: an {@link OperationException} keeps its code; a message
     * equal to a declared code or starting with {@code "CODE: "} takes that code; anything else is
     * {@code EXECUTION_ERROR}.
     */
    static CallError toError(Throwable thrown, OperationSpec spec) {
        Throwable error = thrown;
        while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof OperationException operation) {
            return operation.error();
        }
        String message = error.getMessage();
        if (message != null) {
            for (String code : spec.errorCodes()) {
                if (message.equals(code)) {
                    return CallError.of(code, code);
                }
                if (message.startsWith(code + ":")) {
                    return CallError.of(code, message.substring(code.length() + 1).strip());
                }
            }
        }
        if (error instanceof AlknetException alknet) {
            return CallError.of(CallError.EXECUTION_ERROR, alknet.getMessage());
        }
        return CallError.of(CallError.EXECUTION_ERROR, message != null ? message : error.getClass().getSimpleName());
    }

    /** A context for a new call from outside (a peer, HTTP). */
    static CallContext rootContext(String requestId, Identity identity, Map<String, Object> metadata, Optional<Instant> deadline) {
        return new CallContext(requestId, Optional.empty(), identity, metadata, deadline, false);
    }

    /** Records how long a call took to its terminal reply, by operation and outcome ({@code alknet.calls}). */
    private record Timed(Reply reply, Metrics metrics, String operation, long started) implements Reply {
        Timed(Reply reply, Metrics metrics, String operation) {
            this(reply, metrics, operation, System.nanoTime());
        }

        private void record(String outcome) {
            metrics.timer("alknet.calls", "Calls served, by operation and outcome, and how long they took to their last reply.",
                    "operation", operation, "outcome", outcome).record(System.nanoTime() - started);
        }

        @Override
        public void result(Object output) {
            record("ok");
            reply.result(output);
        }

        @Override
        public void item(Object output) {
            reply.item(output);
        }

        @Override
        public void completed() {
            record("ok");
            reply.completed();
        }

        @Override
        public void failed(CallError error) {
            record("error");
            reply.failed(error);
        }
    }

    /** Ensures one terminal reply; after {@link #silence(CallError)} nothing more is sent. */
    private static final class Guarded implements Reply {
        private final Reply reply;
        private final CallContext context;
        private final CallRecorder recorder;
        private final AtomicBoolean done = new AtomicBoolean();

        Guarded(Reply reply, CallContext context, CallRecorder recorder) {
            this.reply = reply;
            this.context = context;
            this.recorder = recorder;
        }

        void silence(CallError reason) {
            if (done.compareAndSet(false, true)) {
                recorder.ended(context, reason);
            }
        }

        @Override
        public void result(Object output) {
            if (done.compareAndSet(false, true)) {
                recorder.completed(context);
                reply.result(output);
            }
        }

        @Override
        public void item(Object output) {
            if (!done.get()) {
                reply.item(output);
            }
        }

        @Override
        public void completed() {
            if (done.compareAndSet(false, true)) {
                recorder.completed(context);
                reply.completed();
            }
        }

        @Override
        public void failed(CallError error) {
            if (done.compareAndSet(false, true)) {
                recorder.ended(context, error);
                reply.failed(error);
            }
        }
    }

    /** The env of one call: nested calls are trusted, keep the identity and deadline, and die with the parent. */
    private final class Env implements OperationEnv {
        private final CallContext parent;
        private final CallEngine engine;

        Env(CallContext parent, CallEngine engine) {
            this.parent = parent;
            this.engine = engine;
        }

        /**
         * Location-transparent (spec ADR-033): this process's table first, then a worker registered here ({@code /{node}/…}
         * on a head), then the server this client is connected to, which resolves it in turn.
         */
        @Override
        public CompletionStage<Object> invoke(String path, Object input) {
            Supplier<CompletableFuture<CallEngine>> server = upstream;
            Mesh routes = mesh;
            boolean here = operations.entry(path).isPresent()
                    || (routes != null && Mesh.alias(path).filter(routes::knows).isPresent());
            if (!here && server != null) {
                return server.get().thenCompose(connection -> hop(connection, "server", path, input, parent));
            }
            CallContext child = new CallContext(UUID.randomUUID().toString(), Optional.of(parent.requestId()), parent.identity(),
                    parent.metadata(), parent.deadline(), true);
            child.linkedParent(parent.recorded() ? Optional.of(parent.requestId()) : Optional.empty());
            parent.onCancel(() -> child.cancel(parent.cancellation().orElse(CallError.of(CallError.ABORTED, "the calling operation was cancelled"))));
            return Dispatcher.this.invoke(path, input, child, engine);
        }

        @Override
        public CompletionStage<Object> invokePeer(String path, Object input) {
            if (engine == null) {
                return CompletableFuture.failedFuture(new OperationException(CallError.OPERATION_NOT_FOUND,
                        "this call did not arrive over a connection: there is no peer to call"));
            }
            return engine.callFor(parent, path, input);
        }

        @Override
        public <T> Optional<T> service(Class<T> type) {
            return Optional.ofNullable(services.get(type)).map(type::cast);
        }

        @Override
        public Optional<CredentialSet> credentials(String service) {
            return credentials.flatMap(provider -> provider.credentials(service));
        }
    }
}
