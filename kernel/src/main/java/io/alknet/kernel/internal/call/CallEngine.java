package io.alknet.kernel.internal.call;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.CallOptions;
import io.alknet.api.call.Caller;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.call.EventEnvelope;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The call protocol on one connection (an SSH control channel or a raw stream), both ways: it serves the
 * peer's {@code call.requested} through the {@link Dispatcher} under the identity the interface
 * authenticated, and it is the {@link Caller} for calls to the peer, correlating results by request id.
 * Pubsub envelopes go to the {@link EventBus}; events for the peer leave through a bounded {@link Outbox}.
 *
 * <p>Threading: {@link #onEnvelope} runs on the interface's I/O thread and never blocks; handlers run on
 * virtual threads; everything else is thread-safe.
 */
public final class CallEngine implements EnvelopeHandler, Caller {

    /** How far from now a call's deadline may lie. */
    static final long MAX_DEADLINE_DISTANCE_MS = java.time.Duration.ofDays(366).toMillis();

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");
    /** The longest topic name a peer may subscribe to. */
    static final int MAX_TOPIC_LENGTH = 1024;
    /** Calls from the peer running at once before new ones are refused with {@code OVERLOADED}. */
    static final int MAX_RUNNING = 1024;
    /** Results of one subscription sent but not yet written before its handler waits. */
    private static final int SEND_WINDOW = 64;
    /** Runs local subscribers' callbacks: a virtual thread per delivery task, shared by every subscription. */
    private static final java.util.concurrent.ExecutorService DELIVERY = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("alknet-subscription-", 0).factory());
    /** Results of a subscription to the peer held for a slow local subscriber. */
    private static final int SUBSCRIBER_BUFFER = 1024;

    /** Where pubsub envelopes from the peer go. */
    public interface EventBus {
        void published(CallEngine from, EventEnvelope event);

        /** @return false when {@code who} may not subscribe to another topic */
        boolean subscribe(CallEngine who, String topic);

        void unsubscribe(CallEngine who, String topic);

        void closed(CallEngine who);
    }

    private final Dispatcher dispatcher;
    private final Identity peerIdentity;
    private final EnvelopeSender sender;
    private final EventBus bus;
    private final String peerLabel;
    private final Outbox outbox;
    private final Map<String, CallContext> running = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final boolean trustsForwardedIdentity;

    /**
     * @param peerIdentity            who the peer is: the identity its calls run under
     * @param peerLabel               the peer's address for log lines (never a destination)
     * @param trustsForwardedIdentity true only on a worker's connection to its head: the head checked who the caller is
     *                                and says so in {@code payload.identity}, which this side then checks scopes against.
     *                                Anywhere else a claimed identity is ignored (spec CP-28).
     */
    public CallEngine(Dispatcher dispatcher, Identity peerIdentity, EnvelopeSender sender, EventBus bus, String peerLabel,
                      int eventBuffer, boolean trustsForwardedIdentity) {
        this.trustsForwardedIdentity = trustsForwardedIdentity;
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.peerIdentity = Objects.requireNonNull(peerIdentity, "peerIdentity");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.peerLabel = Objects.requireNonNull(peerLabel, "peerLabel");
        this.outbox = new Outbox(eventBuffer, sender::send, Calls.droppedEvents(dispatcher.metrics()));
    }

    public Identity peerIdentity() {
        return peerIdentity;
    }

    /** Completes when the connection closed. */
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Calls from the peer running now, and calls to the peer waiting for their result. */
    public int inFlight() {
        return running.size() + pending.size();
    }

    // ---- from the peer ----

    @Override
    public void onEnvelope(EventEnvelope envelope) {
        if (closed.get()) {
            return;
        }
        switch (envelope.type()) {
            case EventEnvelope.CALL_REQUESTED -> requested(envelope);
            case EventEnvelope.CALL_RESPONDED -> responded(envelope);
            case EventEnvelope.CALL_COMPLETED -> completed(envelope);
            case EventEnvelope.CALL_ERROR -> errored(envelope);
            case EventEnvelope.CALL_ABORTED -> aborted(envelope);
            case EventEnvelope.SUBSCRIBE -> subscribe(envelope.id());
            case EventEnvelope.UNSUBSCRIBE -> bus.unsubscribe(this, envelope.id());
            default -> {
                if (envelope.isCall() || envelope.type().isEmpty()
                        || (envelope.type().startsWith("__") && !envelope.type().equals(io.alknet.api.call.PubSub.DROPPED))) {
                    onMalformed(envelope.requestId(), "unknown envelope type '" + printable(envelope.type()) + "'");
                } else {
                    bus.published(this, envelope);
                }
            }
        }
    }

    private void subscribe(String topic) {
        if (topic.length() > MAX_TOPIC_LENGTH) {
            onMalformed("", "a topic name is at most " + MAX_TOPIC_LENGTH + " characters, this one has " + topic.length());
        } else if (!bus.subscribe(this, topic)) {
            LOG.warn("pubsub.subscribe.refused remote_addr={} reason=too_many_topics", peerLabel);
            sendError("", CallError.of(CallError.OVERLOADED,
                    "this connection is subscribed to the most topics allowed: unsubscribe from one before adding another"));
        }
    }

    @Override
    public void onMalformed(String requestId, String reason) {
        LOG.warn("call.protocol.error remote_addr={} reason=\"{}\"", peerLabel, printable(reason));
        sendError(requestId == null ? "" : requestId, CallError.of(CallError.PROTOCOL_ERROR, reason));
    }

    @Override
    public CompletionStage<Void> onInputEnded() {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        Thread.ofVirtual().name("alknet-call-drain").start(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!running.isEmpty() && !closed.get() && System.nanoTime() < until) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    break;
                }
            }
            idle.complete(null);
        });
        return idle;
    }

    @Override
    public void onClosed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CallError gone = new CallError(CallError.ABORTED, "the connection closed", true, Optional.empty());
        for (CallContext context : List.copyOf(running.values())) {
            context.cancel(gone);
        }
        running.clear();
        for (Pending call : List.copyOf(pending.values())) {
            call.fail(gone);
        }
        pending.clear();
        outbox.close();
        bus.closed(this);
        closeFuture.complete(null);
    }

    private void requested(EventEnvelope envelope) {
        String requestId = envelope.requestId();
        if (!(envelope.payload() instanceof Map<?, ?> payload)) {
            onMalformed(requestId, "call.requested needs an object payload");
            return;
        }
        if (requestId.isEmpty()) {
            onMalformed("", "call.requested needs a request id");
            return;
        }
        if (!(payload.get("operationId") instanceof String path) || path.isEmpty()) {
            onMalformed(requestId, "call.requested needs operationId, the operation path");
            return;
        }
        Optional<Instant> deadline = Optional.empty();
        Object rawDeadline = payload.get("deadline");
        if (rawDeadline instanceof Number millis) {
            long value = millis.longValue();
            // within a year of now: anything else is a wrong unit or garbage (and would overflow the timer's arithmetic)
            long now = System.currentTimeMillis();
            if (!(millis instanceof Integer || millis instanceof Long) || Math.abs(value - now) > MAX_DEADLINE_DISTANCE_MS) {
                onMalformed(requestId, "deadline must be milliseconds since the epoch, within a year of now");
                return;
            }
            deadline = Optional.of(Instant.ofEpochMilli(value));
        } else if (rawDeadline != null) {
            onMalformed(requestId, "deadline must be milliseconds since the epoch");
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (payload.get("metadata") instanceof Map<?, ?> given) {
            given.forEach((key, value) -> metadata.put(String.valueOf(key), value));
        }
        Optional<String> parent = payload.get("parentRequestId") instanceof String text && !text.isEmpty()
                ? Optional.of(text) : Optional.empty();
        // A call the peer makes while serving one of ours (a worker's handler calling on through its head) runs for our
        // caller, and joins that call's tree; a parent id we did not send is the peer's business, not linked.
        Identity caller = peerIdentity;
        Optional<String> linked = Optional.empty();
        Pending ours = parent.map(pending::get).orElse(null);
        if (ours != null && ours.onBehalfOf != null) {
            caller = ours.onBehalfOf;
            linked = parent;
        } else if (trustsForwardedIdentity && payload.get("identity") instanceof Map<?, ?> claimed) {
            caller = forwardedIdentity(claimed).orElse(peerIdentity);
        }
        CallContext context = new CallContext(requestId, parent, caller, metadata, deadline, false);
        context.arrivedOver(this);
        context.linkedParent(linked);
        if (running.size() >= MAX_RUNNING) {
            sendError(requestId, CallError.of(CallError.OVERLOADED, "too many calls in flight on this connection"));
            return;
        }
        if (running.putIfAbsent(requestId, context) != null) {
            // the first call with this id carries on untouched
            LOG.warn("call.protocol.error remote_addr={} reason=\"duplicate request id\"", peerLabel);
            sendError(requestId, CallError.of(CallError.PROTOCOL_ERROR,
                    "duplicate request id " + printable(requestId) + ": a call with this id is still running"));
            return;
        }
        Semaphore window = new Semaphore(SEND_WINDOW);
        dispatcher.dispatch(path, payload.get("input"), context, this, new Dispatcher.Reply() {
            @Override
            public void result(Object output) {
                running.remove(requestId, context);
                send(EventEnvelope.call(EventEnvelope.CALL_RESPONDED, requestId, Map.of("output", output(output))));
            }

            @Override
            public void item(Object output) {
                try {
                    window.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OperationException(CallError.ABORTED, "interrupted");
                }
                send(EventEnvelope.call(EventEnvelope.CALL_RESPONDED, requestId, Map.of("output", output(output))))
                        .whenComplete((ignored, error) -> window.release());
            }

            @Override
            public void completed() {
                running.remove(requestId, context);
                send(EventEnvelope.call(EventEnvelope.CALL_COMPLETED, requestId, Map.of()));
            }

            @Override
            public void failed(CallError error) {
                running.remove(requestId, context);
                sendError(requestId, error);
            }
        });
        context.onCancel(() -> running.remove(requestId, context));
    }

    private static Optional<Identity> forwardedIdentity(Map<?, ?> claimed) {
        if (!(claimed.get("id") instanceof String id) || id.isBlank()) {
            return Optional.empty();
        }
        String name = claimed.get("name") instanceof String text ? text : id;
        java.util.Set<String> scopes = new java.util.HashSet<>();
        if (claimed.get("scopes") instanceof List<?> list) {
            list.forEach(scope -> scopes.add(String.valueOf(scope)));
        }
        return Optional.of(Identity.of(id, name, scopes));
    }

    private static Map<String, Object> identityJson(Identity identity) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", identity.id());
        json.put("name", identity.name());
        json.put("scopes", new ArrayList<>(new java.util.TreeSet<>(identity.scopes())));
        return json;
    }

    private static Map<String, Object> output(Object data) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("data", data);
        output.put("meta", Map.of("source", "local"));
        return output;
    }

    private void responded(EventEnvelope envelope) {
        Pending call = pending.get(envelope.requestId());
        if (call == null) {
            return; // unknown or finished: silently dropped (spec)
        }
        Object output = envelope.payload() instanceof Map<?, ?> payload ? payload.get("output") : null;
        Object data = output instanceof Map<?, ?> wrapped && wrapped.containsKey("data") ? wrapped.get("data") : output;
        call.result(data);
    }

    private void completed(EventEnvelope envelope) {
        Pending call = pending.get(envelope.requestId());
        if (call != null) {
            call.completed();
        }
    }

    private void errored(EventEnvelope envelope) {
        Pending call = pending.get(envelope.requestId());
        if (call != null) {
            call.fail(CallError.fromPayload(envelope.payload()));
        } else if (!envelope.requestId().isEmpty()) {
            LOG.debug("call.error.unmatched remote_addr={}", peerLabel);
        } else {
            CallError error = CallError.fromPayload(envelope.payload());
            LOG.warn("call.peer.protocol_error remote_addr={} code={} message=\"{}\"", peerLabel, error.code(), printable(error.message()));
        }
    }

    private void aborted(EventEnvelope envelope) {
        String requestId = envelope.requestId();
        CallContext context = running.remove(requestId);
        if (context != null) {
            context.cancel(CallError.of(CallError.ABORTED, "the caller cancelled"));
            return;
        }
        Pending call = pending.get(requestId);
        if (call != null) {
            call.fail(CallError.of(CallError.ABORTED, "the peer aborted the call"));
        }
    }

    // ---- to the peer ----

    @Override
    public CompletionStage<Object> call(String path, Object input, CallOptions options) {
        return start(UUID.randomUUID().toString(), path, input, options.timeout().toMillis(), options.metadata(), Optional.empty(), null);
    }

    /** A nested call from a handler's env to the peer: trusted by us, cancelled with its parent. */
    CompletionStage<Object> callFor(CallContext parent, String path, Object input) {
        return forward(UUID.randomUUID().toString(), path, input, parent);
    }

    /**
     * Carries a call of {@code parent} on to the peer as {@code requestId}: with the parent's deadline and metadata, its id
     * as {@code parentRequestId}, its caller's identity (which only a worker's connection to its head believes), and
     * cancelled with it. Calls the peer makes while serving it run for that caller.
     */
    CompletableFuture<Object> forward(String requestId, String path, Object input, CallContext parent) {
        long timeout = parent.deadline().map(d -> java.time.Duration.between(Instant.now(), d).toMillis())
                .orElse(CallOptions.DEFAULT.timeout().toMillis());
        if (timeout <= 0) {
            return CompletableFuture.failedFuture(new OperationException(CallError.TIMEOUT, "the deadline passed"));
        }
        CompletableFuture<Object> result = start(requestId, path, input, timeout, parent.metadata(), Optional.of(parent.requestId()),
                parent.identity());
        parent.onCancel(() -> result.cancel(false));
        return result;
    }

    private CompletableFuture<Object> start(String requestId, String path, Object input, long timeoutMillis, Map<String, Object> metadata,
                                            Optional<String> parent, Identity onBehalfOf) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new OperationException(new CallError(CallError.ABORTED, "the connection is closed", true,
                    Optional.empty())));
            return result;
        }
        Pending call = new Pending(requestId, result, null, onBehalfOf);
        pending.put(requestId, call);
        call.timer = dispatcher.timers().schedule(
                () -> call.fail(CallError.of(CallError.TIMEOUT, path + " did not answer within " + timeoutMillis + " ms"), true),
                timeoutMillis, TimeUnit.MILLISECONDS);
        result.whenComplete((value, error) -> {
            if (error instanceof CancellationException && pending.remove(requestId) != null) {
                call.cancelTimer();
                send(EventEnvelope.call(EventEnvelope.CALL_ABORTED, requestId, Map.of()));
            }
        });
        send(request(requestId, path, input, System.currentTimeMillis() + timeoutMillis, metadata, parent, onBehalfOf))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        call.fail(new CallError(CallError.ABORTED, "the connection closed", true, Optional.empty()));
                    }
                });
        return result;
    }

    private static EventEnvelope request(String requestId, String path, Object input, long deadline, Map<String, Object> metadata,
                                         Optional<String> parent, Identity onBehalfOf) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("operationId", path);
        payload.put("input", input);
        payload.put("deadline", deadline);
        if (!metadata.isEmpty()) {
            payload.put("metadata", metadata);
        }
        parent.ifPresent(id -> payload.put("parentRequestId", id));
        if (onBehalfOf != null) {
            payload.put("identity", identityJson(onBehalfOf));
        }
        return EventEnvelope.call(EventEnvelope.CALL_REQUESTED, requestId, payload);
    }

    @Override
    public Flow.Publisher<Object> subscribe(String path, Object input) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            String requestId = UUID.randomUUID().toString();
            SubmissionPublisher<Object> publisher = new SubmissionPublisher<>(DELIVERY, SUBSCRIBER_BUFFER);
            Pending call = new Pending(requestId, null, publisher, null);
            publisher.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            subscription.request(n);
                        }

                        @Override
                        public void cancel() {
                            subscription.cancel();
                            if (pending.remove(requestId) != null) {
                                publisher.close();
                                send(EventEnvelope.call(EventEnvelope.CALL_ABORTED, requestId, Map.of()));
                            }
                        }
                    });
                }

                @Override
                public void onNext(Object item) {
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable error) {
                    subscriber.onError(error);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
            if (closed.get()) {
                publisher.closeExceptionally(new OperationException(CallError.ABORTED, "the connection is closed"));
                return;
            }
            pending.put(requestId, call);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("operationId", path);
            payload.put("input", input);
            send(EventEnvelope.call(EventEnvelope.CALL_REQUESTED, requestId, payload)).whenComplete((ignored, error) -> {
                if (error != null) {
                    call.fail(new CallError(CallError.ABORTED, "the connection closed", true, Optional.empty()));
                }
            });
        };
    }

    @Override
    public CompletionStage<List<OperationSpec>> operations() {
        return call(BuiltIns.LIST, Map.of()).thenApply(CallEngine::specs);
    }

    static List<OperationSpec> specs(Object listed) {
        List<OperationSpec> specs = new ArrayList<>();
        if (listed instanceof Map<?, ?> map && map.get("operations") instanceof List<?> list) {
            for (Object item : list) {
                specs.add(Specs.fromJson(item));
            }
        }
        return specs;
    }

    /** Sends a pubsub event to the peer through the bounded outbox (dropped, and counted, when full). */
    void deliver(EventEnvelope event) {
        if (!closed.get()) {
            outbox.offer(event);
        }
    }

    /** Sends a control or event envelope to the peer at once, in order with everything else. */
    CompletionStage<Void> send(EventEnvelope envelope) {
        try {
            return sender.send(envelope);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void sendError(String requestId, CallError error) {
        Map<String, Object> payload = error.toPayload();
        send(requestId.isEmpty() ? new EventEnvelope(EventEnvelope.CALL_ERROR, "", withRequestId("", payload))
                : EventEnvelope.call(EventEnvelope.CALL_ERROR, requestId, payload));
    }

    private static Map<String, Object> withRequestId(String requestId, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.putAll(payload);
        return body;
    }

    /** Closes the connection's channel; pending calls fail with {@code ABORTED}. */
    public void close() {
        try {
            sender.close();
        } finally {
            onClosed();
        }
    }

    static String printable(String text) {
        String shortened = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        StringBuilder out = new StringBuilder(shortened.length());
        for (char c : shortened.toCharArray()) {
            out.append(c < 0x20 || c == '"' || c == '\\' || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    /** A call to the peer waiting for its result: a one-shot future or a subscription's publisher. */
    private final class Pending {
        private final String requestId;
        private final CompletableFuture<Object> future;
        private final SubmissionPublisher<Object> publisher;
        /** Whose call this carries on (a forwarded or nested call), or null for a call of this process's own. */
        private final Identity onBehalfOf;
        private volatile ScheduledFuture<?> timer;

        Pending(String requestId, CompletableFuture<Object> future, SubmissionPublisher<Object> publisher, Identity onBehalfOf) {
            this.requestId = requestId;
            this.future = future;
            this.publisher = publisher;
            this.onBehalfOf = onBehalfOf;
        }

        void result(Object data) {
            if (future != null) {
                if (pending.remove(requestId, this)) {
                    cancelTimer();
                    future.complete(data);
                }
                return;
            }
            publisher.offer(data, (subscriber, dropped) -> {
                fail(CallError.of(CallError.OVERLOADED, "the subscriber fell " + SUBSCRIBER_BUFFER + " results behind"), true);
                return false;
            });
        }

        void completed() {
            if (future != null) {
                fail(CallError.of(CallError.ABORTED, "completed without a response"));
            } else if (pending.remove(requestId, this)) {
                publisher.close();
            }
        }

        void fail(CallError error) {
            fail(error, false);
        }

        /** Fails locally; with {@code tellPeer} also sends {@code call.aborted} so the peer stops working. */
        void fail(CallError error, boolean tellPeer) {
            if (!pending.remove(requestId, this)) {
                return;
            }
            cancelTimer();
            if (tellPeer && !closed.get()) {
                send(EventEnvelope.call(EventEnvelope.CALL_ABORTED, requestId, Map.of()));
            }
            OperationException failure = new OperationException(error);
            if (future != null) {
                future.completeExceptionally(failure);
            } else {
                publisher.closeExceptionally(failure);
            }
        }

        void cancelTimer() {
            ScheduledFuture<?> current = timer;
            if (current != null) {
                current.cancel(false);
            }
        }
    }

    /** Unwraps {@link CompletionException}s to the {@link OperationException} inside, if any. */
    public static Optional<CallError> errorOf(Throwable thrown) {
        Throwable error = thrown;
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error instanceof OperationException operation ? Optional.of(operation.error()) : Optional.empty();
    }
}
