package io.alknet.kernel.internal.call;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.CallOptions;
import io.alknet.api.call.Caller;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EventEnvelope;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.PubSub;
import io.alknet.api.interfaces.TunnelSession;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The client's side of the call protocol: one control channel per session, opened on first use (or at
 * once when the client serves operations or has subscriptions, so the server can reach it), and opened
 * again on the next session after a reconnect, re-sending the subscriptions. Calls made while no session is
 * up fail with a retryable {@code ABORTED}. Thread-safe.
 */
public final class ClientCalls implements Caller, PubSub, CallEngine.EventBus {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("alknet.mesh");

    private final Calls calls;
    private final PubSubHub local;
    private final Map<String, AtomicInteger> topics = new ConcurrentHashMap<>();
    private volatile TunnelSession session;
    private volatile Identity server;
    private CompletableFuture<CallEngine> engine;
    /** Publications and (un)subscriptions leave in the order they were made, even while the channel opens. */
    private CompletableFuture<Void> outgoing = CompletableFuture.completedFuture(null);
    /** The alias this client registers its operations under at the server (its head), if it is a worker. */
    private final Optional<String> worker;
    /** The latest registration with the head: done when the head accepted (or refused) it. */
    private volatile CompletableFuture<Object> registration = CompletableFuture.completedFuture(null);
    private final java.util.concurrent.atomic.AtomicBoolean heartbeating = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param worker the alias to register as a worker under at the server, or empty for an ordinary client; either way,
     *               a nested call this client cannot serve goes to the server (ADR-033: handlers do not know where
     *               operations run)
     */
    public ClientCalls(Calls calls, Optional<String> worker) {
        this.calls = calls;
        this.local = new PubSubHub(calls.eventBuffer());
        this.worker = java.util.Objects.requireNonNull(worker, "worker");
        calls.dispatcher().upstream(this::engine);
        if (worker.isPresent()) {
            calls.operations().onChange(() -> {
                if (session != null) {
                    reregister();
                }
            });
        }
    }

    /** Registers again after the head's answer to the last one, so that the head ends with the newest table. */
    private synchronized void reregister() {
        registration = registration.handle((ignored, error) -> null).thenCompose(ignored -> register());
    }

    public <T> void provide(Class<T> type, T service) {
        calls.provide(type, service);
    }

    /** The operations this client serves to the server. */
    public OperationTable registry() {
        return calls.operations();
    }

    /** A session is up; {@code server} is who the server is (its host key) for calls it makes to us. */
    public void sessionUp(TunnelSession established, Identity serverIdentity) {
        synchronized (this) {
            session = established;
            server = serverIdentity;
            engine = null;
        }
        if (worker.isPresent()) {
            registration = register();
            if (heartbeating.compareAndSet(false, true)) {
                long every = Calls.HEARTBEAT.toMillis();
                calls.timers().scheduleWithFixedDelay(this::heartbeat, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } else if (calls.operations().specs().stream().anyMatch(spec -> !BuiltIns.isBuiltIn(spec.path())) || !topics.isEmpty()) {
            engine().exceptionally(error -> null);
        }
    }

    /** The registration of this session as a worker: completes with the head's answer, or its refusal. */
    public CompletableFuture<Object> registration() {
        return registration;
    }

    private CompletableFuture<Object> register() {
        String alias = worker.orElseThrow();
        List<Object> specs = calls.operations().specs().stream().filter(spec -> !BuiltIns.isBuiltIn(spec.path()))
                .map(spec -> (Object) Specs.toJson(spec)).toList();
        CompletableFuture<Object> answer = engine().thenCompose(current -> current.call(BuiltIns.REGISTER,
                Map.of("node", alias, "operations", specs), CallOptions.DEFAULT)).toCompletableFuture();
        answer.whenComplete((result, error) -> {
            if (error == null) {
                LOG.info("worker.registered node={} operations={}", alias, specs.size());
            } else {
                CallError refused = Calls.errorOf(error);
                LOG.warn("worker.register.failed node={} code={} message=\"{}\"", alias, refused.code(), CallEngine.printable(refused.message()));
            }
        });
        return answer;
    }

    private void heartbeat() {
        TunnelSession now = session;
        if (now == null || !now.isOpen() || !registration.isDone()) {
            return;
        }
        call(BuiltIns.HEARTBEAT, Map.of("node", worker.orElseThrow())).whenComplete((answer, error) -> {
            if (error == null && answer instanceof Map<?, ?> map && Boolean.FALSE.equals(map.get("registered"))) {
                // the head dropped us (say it missed heartbeats while we were busy): register again
                reregister();
            }
        });
    }

    public void sessionDown() {
        CompletableFuture<CallEngine> current;
        synchronized (this) {
            session = null;
            current = engine;
            engine = null;
        }
        if (current != null) {
            current.thenAccept(CallEngine::onClosed);
        }
    }

    /** The engine of the current session's control channel, opening it if needed. */
    CompletableFuture<CallEngine> engine() {
        synchronized (this) {
            CompletableFuture<CallEngine> current = engine;
            if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || !current.join().isOpen()))) {
                return current;
            }
            TunnelSession now = session;
            if (now == null || !now.isOpen()) {
                return CompletableFuture.failedFuture(new OperationException(new CallError(CallError.ABORTED,
                        "not connected to the server (reconnecting)", true, Optional.empty())));
            }
            Identity peer = server;
            Forwarding handler = new Forwarding();
            CompletableFuture<CallEngine> opening = now.openCalls(handler).toCompletableFuture().thenApply(sender -> {
                CallEngine created = worker.isPresent() ? calls.workerEngine(peer, sender, this, now.peer().remoteHost())
                        : calls.engine(peer, sender, this, now.peer().remoteHost());
                handler.target = created;
                topics.keySet().forEach(topic -> created.send(new EventEnvelope(EventEnvelope.SUBSCRIBE, topic, Map.of())));
                return created;
            }).exceptionallyCompose(error -> CompletableFuture.failedFuture(channelFailure(error)));
            engine = opening;
            return opening;
        }
    }

    private static OperationException channelFailure(Throwable thrown) {
        Throwable error = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (error instanceof AlknetException alknet) {
            if (alknet.code() == ErrorCode.FORWARD_DENIED) {
                return new OperationException(CallError.ACCESS_DENIED, "the server refused the control channel: " + alknet.getMessage());
            }
            if (alknet.code() == ErrorCode.UNSUPPORTED) {
                return new OperationException(CallError.OPERATION_NOT_FOUND, alknet.getMessage());
            }
        }
        return new OperationException(new CallError(CallError.ABORTED, "cannot open the control channel: " + error.getMessage(),
                true, Optional.empty()));
    }

    /** Hands envelopes to the engine once it exists (the channel opens before the engine is made). */
    private static final class Forwarding implements EnvelopeHandler {
        private volatile CallEngine target;

        @Override
        public void onEnvelope(EventEnvelope envelope) {
            CallEngine current = target;
            if (current != null) {
                current.onEnvelope(envelope);
            }
        }

        @Override
        public void onMalformed(String requestId, String reason) {
            CallEngine current = target;
            if (current != null) {
                current.onMalformed(requestId, reason);
            }
        }

        @Override
        public void onClosed() {
            CallEngine current = target;
            if (current != null) {
                current.onClosed();
            }
        }
    }

    // ---- Caller ----

    @Override
    public CompletionStage<Object> call(String path, Object input, CallOptions options) {
        // cancelling the returned future cancels the call on the server (a thenCompose would not)
        CompletableFuture<Object> result = new CompletableFuture<>();
        engine().whenComplete((current, error) -> {
            if (error != null) {
                result.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            CompletableFuture<Object> inner = current.call(path, input, options).toCompletableFuture();
            result.whenComplete((value, failure) -> {
                if (failure instanceof java.util.concurrent.CancellationException) {
                    inner.cancel(false);
                }
            });
            inner.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                } else {
                    result.complete(value);
                }
            });
        });
        return result;
    }

    @Override
    public Flow.Publisher<Object> subscribe(String path, Object input) {
        return subscriber -> engine().whenComplete((current, error) -> {
            if (error != null) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            } else {
                current.subscribe(path, input).subscribe(subscriber);
            }
        });
    }

    @Override
    public CompletionStage<List<OperationSpec>> operations() {
        return call(BuiltIns.LIST, Map.of()).thenApply(CallEngine::specs);
    }

    // ---- PubSub ----

    @Override
    public void publish(String topic, String type, Object payload) {
        if (type.startsWith("call.") || type.startsWith("__") || type.isEmpty()) {
            throw new IllegalArgumentException("event type '" + type + "' is reserved by the call protocol");
        }
        inOrder(new EventEnvelope(type, topic, payload));
    }

    private synchronized void inOrder(EventEnvelope envelope) {
        outgoing = outgoing.handle((ignored, error) -> null).thenCompose(ignored -> engine()).thenAccept(current -> current.send(envelope));
    }

    @Override
    public Subscription subscribe(String topic, Consumer<EventEnvelope> listener) {
        Subscription subscription = local.subscribe(topic, listener);
        if (topics.computeIfAbsent(topic, key -> new AtomicInteger()).getAndIncrement() == 0) {
            control(EventEnvelope.SUBSCRIBE, topic);
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            subscription.close();
            AtomicInteger count = topics.get(topic);
            if (count != null && count.decrementAndGet() == 0) {
                topics.remove(topic, count);
                control(EventEnvelope.UNSUBSCRIBE, topic);
            }
        };
    }

    /**
     * Subscribes and waits until the server has the subscription (the next envelope on the channel was
     * answered), so that events published afterwards reach the listener.
     */
    public CompletionStage<Subscription> subscribeConfirmed(String topic, Consumer<EventEnvelope> listener) {
        Subscription subscription = subscribe(topic, listener);
        return call(BuiltIns.PING, Map.of()).thenApply(ignored -> subscription);
    }

    private void control(String type, String topic) {
        inOrder(new EventEnvelope(type, topic, Map.of()));
    }

    // ---- events from the server ----

    @Override
    public void published(CallEngine from, EventEnvelope event) {
        local.fanout(event);
    }

    @Override
    public boolean subscribe(CallEngine who, String topic) {
        return true; // the server does not subscribe to a client's events: nothing to hold
    }

    @Override
    public void unsubscribe(CallEngine who, String topic) {
    }

    @Override
    public void closed(CallEngine who) {
    }

    /** Topics with subscribers. */
    public Set<String> topics() {
        return Set.copyOf(topics.keySet());
    }
}
