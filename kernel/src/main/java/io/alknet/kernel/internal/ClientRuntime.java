package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.frontend.FrontEnd;
import io.alknet.api.frontend.Tunnel;
import io.alknet.api.interfaces.ClientSessionOptions;
import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.stream.Splice;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.api.Identity;
import io.alknet.api.call.Caller;
import io.alknet.api.call.OperationRegistry;
import io.alknet.api.call.PubSub;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.internal.call.ClientCalls;
import io.alknet.kernel.ClientEvent;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ClientStats;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.FrontEndSpec;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A running client: connects (the first attempt's failure is reported to the caller), starts the front
 * ends, and when the session is lost reconnects with exponential backoff and jitter while the front
 * ends keep their local listeners. New channels requested while disconnected fail at once with
 * {@code SESSION_CLOSED}.
 */
public final class ClientRuntime implements AlknetClient, Tunnel {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.client");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private final ClientOptions options;
    private final Components components;
    private final Closer closer = new Closer();
    private final List<FrontEnd> frontEnds = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicLong totalStreams = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    /** Splices still running; their bytes move to the totals when they end. */
    private final java.util.Set<Splice> splices = new java.util.HashSet<>();
    /** One transport per scheme among the server's paths; a scheme whose transport cannot start maps to its error. */
    private final Map<String, Transport> transports = new HashMap<>();
    private final Map<String, RuntimeException> unavailable = new HashMap<>();
    private StreamInterface streamInterface;
    /** The path that carried the last session: tried first when the client connects again. */
    private volatile TransportAddress preferred;
    private volatile TransportAddress current;
    /** The transport stream under the session: its route is the status line's. */
    private volatile TransportStream currentStream;
    private final PathMemory pathMemory;
    /** The network the last race ran on (a race on another one starts with what won there). */
    private volatile String network;
    private volatile TunnelSession session;
    private volatile boolean closed;
    private Thread reconnector;
    private final ClientCalls calls;

    @Inject
    public ClientRuntime(ClientOptions options, Components components) {
        this.calls = new ClientCalls(closer.register(CallSetup.calls(components, Optional.empty())),
                components.setting(io.alknet.kernel.KernelSettings.WORKER).map(String::strip).filter(alias -> !alias.isEmpty()));
        this.options = options;
        this.components = components;
        this.pathMemory = new PathMemory(options.stateDirectory());
    }

    /**
     * Validates the front-end specs, connects, then binds the front ends.
     *
     * @throws AlknetException when a spec is malformed, the first connection fails, or a front end cannot bind
     */
    public ClientRuntime start() {
        try {
            for (FrontEndSpec spec : options.frontEnds()) {
                frontEnds.add(closer.register(components.create(ExtensionKind.FRONT_END, spec.frontEnd(),
                        (factory, settings) -> factory.create(spec.spec(), settings, components.context()))));
            }
            startTransports();
            streamInterface = closer.register(components.create(ExtensionKind.STREAM_INTERFACE, options.streamInterface(),
                    (factory, settings) -> factory.create(settings, components.context())));
            TunnelSession first = await(connectOnce(), "cannot connect to " + options.server());
            for (FrontEnd frontEnd : frontEnds) {
                await(frontEnd.start(this), "cannot start " + frontEnd.description());
            }
            // A front end that cannot set itself up on the first session (a refused -R) is fatal.
            for (FrontEnd frontEnd : frontEnds) {
                await(frontEnd.sessionUp(first), frontEnd.description());
            }
            session = first;
            calls.sessionUp(first, serverIdentity(first));
            // a worker the head will not take is no worker: say why now rather than serve nobody
            await(calls.registration().exceptionallyCompose(error -> {
                io.alknet.api.call.CallError refused = io.alknet.kernel.internal.call.Calls.errorOf(error);
                return CompletableFuture.failedFuture(new AlknetException(
                        refused.code().equals(io.alknet.api.call.CallError.ACCESS_DENIED) ? ErrorCode.AUTH_REJECTED : ErrorCode.INVALID_CONFIG,
                        "the server refused this worker's registration: " + refused.code() + ": " + refused.message()));
            }), "cannot register as a worker");
            emit(new ClientEvent.Connected(current.toString(), first.serverKeyFingerprint(), route()));
            frontEnds.forEach(frontEnd -> emit(new ClientEvent.FrontEndReady(frontEnd.description())));
            watch(first);
            return this;
        } catch (RuntimeException e) {
            shutdownQuietly(e);
            throw e;
        }
    }

    /**
     * The transports of every path. With alternatives, a transport that cannot start (iroh without its native
     * library) only takes its paths out of the race; alone, it fails the client as before.
     */
    private void startTransports() {
        List<TransportAddress> paths = allPaths();
        for (TransportAddress path : paths) {
            String scheme = path.scheme();
            if (transports.containsKey(scheme) || unavailable.containsKey(scheme)) {
                continue;
            }
            try {
                Transport transport = closer.register(components.create(ExtensionKind.TRANSPORT, scheme,
                        (factory, settings) -> factory.create(settings, components.context())));
                transport.start();
                transports.put(scheme, transport);
            } catch (RuntimeException e) {
                if (paths.size() == 1) {
                    throw e;
                }
                LOG.info("client.path.unavailable transport={} reason={}", scheme, e.getMessage());
                unavailable.put(scheme, e);
            }
        }
    }

    /**
     * The server's paths, the one that carried the last session first: on the network of the last race, what won
     * it; on another network (or at start), what won last on that one, remembered across restarts ({@link PathMemory}).
     */
    private List<TransportAddress> paths(String network) {
        List<TransportAddress> paths = new ArrayList<>(allPaths());
        TransportAddress first = network.equals(this.network) ? preferred : null;
        if (first == null && paths.size() > 1) {
            first = pathMemory.winner(options.server().toString(), network, paths).orElse(null);
        }
        if (first != null && paths.remove(first)) {
            paths.addFirst(first);
        }
        return List.copyOf(paths);
    }

    /** ADDRESS, then the alternatives, each once. */
    private List<TransportAddress> allPaths() {
        LinkedHashSet<TransportAddress> paths = new LinkedHashSet<>();
        paths.add(options.server());
        paths.addAll(options.alternatives());
        return List.copyOf(paths);
    }

    private CompletionStage<TunnelSession> connectOnce() {
        // every path must present the host key the user accepts for the server as given: one identity, many ways in
        ClientSessionOptions sessionOptions = new ClientSessionOptions(options.server(), options.user(),
                options.identityFiles(), options.hostKeys(), Duration.ZERO);
        boolean alternatives = !options.alternatives().isEmpty();
        String here = alternatives ? PathMemory.currentNetwork() : "";
        List<TransportAddress> paths = paths(here);
        if (paths.size() == 1) {
            return connect(paths.getFirst())
                    .exceptionallyCompose(error -> CompletableFuture.failedFuture(connectFailure(error)))
                    .thenCompose(stream -> streamInterface.connect(stream, sessionOptions).thenApply(established -> {
                        current = paths.getFirst();
                        currentStream = stream;
                        return established;
                    }));
        }
        Map<TransportAddress, TransportStream> streams = new java.util.concurrent.ConcurrentHashMap<>();
        return PathRace.run(paths, this::connect, path -> stream -> {
                    streams.put(path, stream);
                    return streamInterface.connect(stream, sessionOptions);
                })
                .thenApply(won -> {
                    preferred = won.path();
                    network = here;
                    current = won.path();
                    currentStream = streams.get(won.path());
                    Thread.ofVirtual().name("alknet-path-memory")
                            .start(() -> pathMemory.remember(options.server().toString(), here, won.path()));
                    return won.session();
                });
    }

    private CompletionStage<TransportStream> connect(TransportAddress path) {
        RuntimeException down = unavailable.get(path.scheme());
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        return transports.get(path.scheme()).connect(path);
    }

    private AlknetException connectFailure(Throwable error) {
        Throwable cause = unwrap(error);
        String reason = cause instanceof AlknetException alknet ? alknet.getMessage() : String.valueOf(cause.getMessage());
        if (cause instanceof AlknetException alknet
                && (alknet.code() == ErrorCode.HOST_KEY_REJECTED || alknet.code() == ErrorCode.PROTOCOL_ERROR)) {
            // the server answered, but not as it should (its TLS certificate, its protocol): the reason says what to do
            return new AlknetException(alknet.code(), "cannot connect to " + options.server() + ": " + reason);
        }
        if (cause instanceof AlknetException alknet && alknet.code() == ErrorCode.INVALID_ARGUMENT) {
            // the address itself is wrong (say an iroh addr= that is not IP:PORT): no point looking for a server there
            return new AlknetException(ErrorCode.INVALID_ARGUMENT, "invalid server address " + options.server() + ": " + reason);
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "cannot reach " + options.server() + ": " + reason
                + "; check the address and that alknet serve is running there");
    }

    /** How the current session reaches the server ({@link TransportStream#route()}). */
    private String route() {
        TransportStream stream = currentStream;
        return stream == null ? "" : stream.route();
    }

    /** A session is up again: tell the front ends (failures are reported, not fatal), watch for its loss. */
    private void up(TunnelSession established) {
        session = established;
        calls.sessionUp(established, serverIdentity(established));
        emit(new ClientEvent.Connected(current.toString(), established.serverKeyFingerprint(), route()));
        for (FrontEnd frontEnd : frontEnds) {
            frontEnd.sessionUp(established).whenComplete((ignored, error) -> {
                if (error != null) {
                    emit(new ClientEvent.FrontEndFailed(frontEnd.description(), unwrap(error).getMessage()));
                }
            });
        }
        watch(established);
    }

    private void watch(TunnelSession established) {
        established.closeFuture().whenComplete((ignored, error) -> lost(established));
    }

    private void lost(TunnelSession which) {
        if (closed || session != which) {
            return;
        }
        session = null;
        calls.sessionDown();
        emit(new ClientEvent.Disconnected("session closed"));
        if (!options.reconnect().enabled()) {
            LOG.info("client.session.lost reconnect=false");
            close();
            return;
        }
        synchronized (this) {
            reconnector = Thread.ofVirtual().name("alknet-reconnect").start(this::reconnect);
        }
    }

    private void reconnect() {
        String lastError = "session closed";
        for (int attempt = 1; !closed; attempt++) {
            Duration delay = options.reconnect().delay(attempt, random);
            emit(new ClientEvent.Reconnecting(attempt, delay, lastError));
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                TunnelSession next = await(connectOnce(), "reconnect");
                if (closed) {
                    next.close();
                    return;
                }
                up(next);
                return;
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                LOG.debug("client.reconnect.failed attempt={} error={}", attempt, e.getMessage());
            }
        }
    }

    /** Who the server is when it calls us: its host key, with no scopes (operations it may call need none). */
    private static Identity serverIdentity(TunnelSession established) {
        String fingerprint = established.serverKeyFingerprint();
        return Identity.of(fingerprint.isBlank() ? "server" : fingerprint, "server", java.util.Set.of());
    }

    @Override
    public Caller calls() {
        return calls;
    }

    @Override
    public OperationRegistry operations() {
        return calls.registry();
    }

    @Override
    public <T> void provideService(Class<T> type, T service) {
        calls.provide(type, service);
    }

    @Override
    public PubSub pubsub() {
        return calls;
    }

    private void emit(ClientEvent event) {
        try {
            options.events().accept(event);
        } catch (RuntimeException e) {
            LOG.warn("client.event.listener.failed error={}", e.toString());
        }
    }

    // ---- Tunnel ----

    @Override
    public CompletionStage<TransportStream> openChannel(String host, int port) {
        TunnelSession current = session;
        if (current == null || !current.isOpen()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.SESSION_CLOSED,
                    "not connected to " + options.server() + " (reconnecting)"));
        }
        return current.openChannel(host, port).thenApply(this::counted);
    }

    @Override
    public CompletionStage<TransportStream> openUdpRelay() {
        TunnelSession current = session;
        if (current == null || !current.isOpen()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.SESSION_CLOSED,
                    "not connected to " + options.server() + " (reconnecting)"));
        }
        return current.openUdpRelay().thenApply(this::counted);
    }

    private TransportStream counted(TransportStream channel) {
        openStreams.incrementAndGet();
        totalStreams.incrementAndGet();
        channel.closeFuture().whenComplete((ignored, error) -> openStreams.decrementAndGet());
        return channel;
    }

    /** Splices as the default does, and counts the splice's bytes in {@link #stats()} (live ones too). */
    @Override
    public Splice splice(TransportStream local, TransportStream channel) {
        Splice splice = Splice.start(local, channel);
        synchronized (splices) {
            splices.add(splice);
        }
        splice.done().whenComplete((ignored, error) -> {
            synchronized (splices) {
                if (splices.remove(splice)) {
                    bytesUp.addAndGet(splice.bytesLeftToRight());
                    bytesDown.addAndGet(splice.bytesRightToLeft());
                }
            }
        });
        return splice;
    }

    @Override
    public void carried(long up, long down) {
        bytesUp.addAndGet(up);
        bytesDown.addAndGet(down);
    }

    @Override
    public ClientStats stats() {
        long up;
        long down;
        synchronized (splices) {
            up = bytesUp.get();
            down = bytesDown.get();
            for (Splice splice : splices) {
                up += splice.bytesLeftToRight();
                down += splice.bytesRightToLeft();
            }
        }
        return new ClientStats(connected(), openStreams.get(), totalStreams.get(), up, down, connected() ? route() : "");
    }

    @Override
    public Optional<TunnelSession> session() {
        return Optional.ofNullable(session);
    }

    // ---- AlknetClient ----

    @Override
    public Tunnel tunnel() {
        return this;
    }

    @Override
    public boolean connected() {
        TunnelSession current = session;
        return current != null && current.isOpen();
    }

    @Override
    public List<List<SocketAddress>> frontEndAddresses() {
        return frontEnds.stream().map(FrontEnd::boundAddresses).toList();
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (reconnector != null) {
                reconnector.interrupt();
            }
        }
        TunnelSession current = session;
        session = null;
        // Stop taking new local connections first, then let open channels drain.
        frontEnds.forEach(FrontEnd::close);
        if (current != null) {
            drain(current);
            current.close();
        }
        shutdownQuietly(null);
    }

    /** Lets open streams finish for up to the grace period before the disconnect cuts them. */
    private void drain(TunnelSession current) {
        long deadline = System.nanoTime() + options.gracePeriod().toNanos();
        while (openStreams.get() > 0 && current.isOpen() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        if (openStreams.get() > 0) {
            LOG.info("client.shutdown.forced open_streams={}", openStreams.get());
        }
    }

    private void shutdownQuietly(RuntimeException primary) {
        try {
            closer.close();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        } finally {
            closed = true;
            terminated.countDown();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            if (cause instanceof AlknetException alknet) {
                throw alknet;
            }
            throw new AlknetException(ErrorCode.CONNECTION_FAILED, what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new AlknetException(ErrorCode.CONNECTION_FAILED, what + ": timed out after " + CONNECT_TIMEOUT.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlknetException(ErrorCode.INTERNAL, what + ": interrupted");
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
