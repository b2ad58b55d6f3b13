package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.StateFiles;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code iroh} transport: one iroh endpoint per transport (its secret key kept in the state directory, so its
 * endpoint id is stable across restarts), QUIC connections to peers by endpoint id with ALPN {@value #ALPN}, and one
 * bidirectional stream per {@link TransportStream}. Streams to the same peer share one connection.
 *
 * <p>Addresses: {@code iroh://ENDPOINT_ID?addr=IP:PORT[&addr=…][&relay=URL]} to dial (the line {@code alknet serve}
 * prints), {@code iroh://} or {@code iroh://IP:PORT} to listen.
 *
 * <p>Identity: the peer's endpoint id, proven by the QUIC handshake, is the stream's
 * {@link io.alknet.api.stream.PeerInfo#transportIdentity()}; identity providers see it with every credential.
 */
final class IrohTransport implements Transport {

    static final String SCHEME = "iroh";
    /** The ALPN of SSH over iroh (spec T-11). */
    static final String ALPN = "alknet-ssh";
    static final String KEY_FILE = "iroh_secret_key";

    private static final Logger LOG = LoggerFactory.getLogger(IrohTransport.class);

    private final IrohSettings settings;
    private final PluginContext context;
    private final Map<String, CompletableFuture<IrohConnection>> connections = new ConcurrentHashMap<>();
    private final List<IrohListener> listeners = new ArrayList<>();
    private long endpoint; // guarded by this; 0 = not created
    private String bound;  // guarded by this: the bind the endpoint was created with
    private boolean closed; // guarded by this

    IrohTransport(IrohSettings settings, PluginContext context) {
        this.settings = settings;
        this.context = context;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.TLS_EQUIVALENT;
    }

    /** The endpoint, created on first use with {@code bind} (null: any address). */
    private synchronized long endpoint(String bind) {
        if (closed) {
            throw new AlknetException(ErrorCode.SESSION_CLOSED, "the iroh transport is closed");
        }
        if (endpoint != 0) {
            if (bind != null && !bind.equals(bound)) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the iroh endpoint already runs on " + (bound == null ? "any address" : bound)
                        + "; a server has one iroh listener");
            }
            return endpoint;
        }
        byte[] secret = secretKey();
        if (secret == null && keyFile() != null) {
            secret = newStoredKey(keyFile());
        }
        try {
            endpoint = Native.endpointCreate(secret, settings.relayMode(), settings.relayMode() == 2 ? settings.relay() : null,
                    settings.proxy().orElse(null), bind, ALPN, settings.threads(), settings.idleTimeout().toMillis());
        } catch (Native.NativeException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, e.getMessage() + (bind == null ? "" : " (listen address " + bind + ")"), e);
        } finally {
            if (secret != null) {
                java.util.Arrays.fill(secret, (byte) 0);
            }
        }
        bound = bind;
        return endpoint;
    }

    private Path keyFile() {
        String configured = settings.secretKey().orElse(null);
        if ("ephemeral".equals(configured)) {
            return null;
        }
        return configured != null ? Path.of(configured) : context.stateDirectory().resolve(KEY_FILE);
    }

    /** The stored secret key, or null when there is none yet (or keys are ephemeral). */
    private byte[] secretKey() {
        Path file = keyFile();
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!text.matches("[0-9a-fA-F]{64}")) {
                throw new AlknetException(ErrorCode.INVALID_KEY, "the iroh secret key " + file
                        + " is not 64 hex digits; move it away to create a new endpoint id");
            }
            return HexFormat.of().parseHex(text);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "cannot read the iroh secret key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new secret key (an Ed25519 seed: any 32 random bytes), stored before the endpoint uses it. If another
     * process sharing the state directory stored one first, that one is used: both then have the same id.
     */
    private byte[] newStoredKey(Path file) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
            StateFiles.create(file, (HexFormat.of().formatHex(fresh) + "\n").getBytes(StandardCharsets.US_ASCII), true);
            LOG.info("iroh.key.created file={}", file);
            return fresh;
        } catch (FileAlreadyExistsException raced) {
            java.util.Arrays.fill(fresh, (byte) 0);
            byte[] stored = secretKey();
            if (stored == null) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "the iroh secret key " + file + " vanished while it was being stored");
            }
            return stored;
        } catch (IOException e) {
            java.util.Arrays.fill(fresh, (byte) 0);
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot store the iroh secret key in " + file + ": " + e.getMessage()
                    + " (set transport.iroh.secret-key to a writable file, or to 'ephemeral')", e);
        }
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        String id;
        String addrs;
        try {
            id = canonicalId(address.host());
            addrs = String.join(",", address.params().getOrDefault("addr", List.of()));
            if (addrs.isEmpty() && address.param("relay").isEmpty() && settings.relayMode() == 1) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "with --iroh-relay none the server's addresses are needed: "
                        + "iroh://ENDPOINT_ID?addr=IP:PORT (the line 'alknet serve' prints as 'iroh address')");
            }
        } catch (AlknetException e) {
            return CompletableFuture.failedFuture(e);
        }
        String relay = address.param("relay").orElse(null);
        return connection(id, addrs, relay).thenCompose(conn -> conn.openStream().thenApply(TransportStream.class::cast));
    }

    /** The canonical form of an endpoint id, or an {@code INVALID_ARGUMENT} naming what is wrong. */
    static String canonicalId(String id) {
        try {
            return Native.canonicalId(id);
        } catch (Native.NativeException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private CompletableFuture<IrohConnection> connection(String id, String addrs, String relay) {
        while (true) {
            CompletableFuture<IrohConnection> existing = connections.get(id);
            if (existing != null && !(existing.isDone() && (existing.isCompletedExceptionally() || !existing.join().isOpen()))) {
                return existing;
            }
            CompletableFuture<IrohConnection> fresh = new CompletableFuture<>();
            boolean ours = existing == null ? connections.putIfAbsent(id, fresh) == null : connections.replace(id, existing, fresh);
            if (!ours) {
                continue;
            }
            dial(id, addrs, relay, fresh);
            fresh.whenComplete((conn, error) -> {
                if (error != null) {
                    connections.remove(id, fresh);
                } else {
                    conn.ended().whenComplete((reason, ignored) -> connections.remove(id, fresh));
                }
            });
            return fresh;
        }
    }

    private void dial(String id, String addrs, String relay, CompletableFuture<IrohConnection> result) {
        if (!hasEndpoint() && onIrohThread()) {
            // creating the endpoint blocks (it binds sockets and starts a runtime): not on a runtime thread
            Thread.ofVirtual().name("iroh-endpoint").start(() -> dial(id, addrs, relay, result));
            return;
        }
        long ep;
        try {
            ep = endpoint(null);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        long[] token = new long[1];
        token[0] = Native.register((kind, value, data) -> {
            Native.unregister(token[0]);
            if (kind == Native.EV_DONE) {
                IrohConnection conn = new IrohConnection(value, null);
                LOG.info("iroh.connected peer_id={} path={}", conn.remoteId(), conn.path());
                if (!result.complete(conn)) {
                    conn.close("not needed");
                }
            } else {
                ErrorCode code = value == Native.E_TIMEOUT ? ErrorCode.TARGET_TIMEOUT
                        : value == Native.E_CLOSED ? ErrorCode.SESSION_CLOSED : ErrorCode.CONNECTION_FAILED;
                result.completeExceptionally(new AlknetException(code, Native.message(data)));
            }
        });
        try {
            Native.connect(ep, id, addrs.isEmpty() ? null : addrs, relay, ALPN, settings.connectTimeout().toMillis(), token[0]);
        } catch (Native.NativeException e) {
            Native.unregister(token[0]);
            result.completeExceptionally(new AlknetException(e.code == Native.E_INVALID ? ErrorCode.INVALID_ARGUMENT
                    : ErrorCode.CONNECTION_FAILED, e.getMessage()));
        }
    }

    private synchronized boolean hasEndpoint() {
        return endpoint != 0;
    }

    /** Whether this is one of the library's runtime threads (named by it), where nothing may block. */
    private static boolean onIrohThread() {
        return Thread.currentThread().getName().startsWith("alknet-iroh");
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        if (onIrohThread()) {
            return CompletableFuture.supplyAsync(() -> listen(address), task -> Thread.ofVirtual().name("iroh-listen").start(task))
                    .thenCompose(stage -> stage);
        }
        try {
            String bind = address.host().isEmpty() ? null : address.uriHost() + ":" + address.port();
            long ep = endpoint(bind);
            IrohListener listener = new IrohListener(ep, this::boundAddress);
            listener.address(); // resolved now, on this thread: address() is then a plain read
            synchronized (this) {
                listeners.add(listener);
            }
            return CompletableFuture.completedFuture(listener);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code iroh://ID?addr=…&relay=…}: what a client dials. */
    private TransportAddress boundAddress() {
        long ep;
        synchronized (this) {
            ep = endpoint;
        }
        // with relays, wait for the home relay too (about 3 s here, after its probes), so the printed address also works
        // from behind a NAT
        String[] parts = Native.endpointAddr(ep, 6000, settings.relayMode() != 1).split("\\|", -1);
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (!parts[1].isEmpty()) {
            params.put("addr", List.of(parts[1].split(",")));
        }
        if (!parts[2].isEmpty()) {
            params.put("relay", List.of(parts[2]));
        }
        return new TransportAddress(SCHEME, parts[0], 0, params);
    }

    @Override
    public synchronized Map<String, String> info() {
        if (listeners.isEmpty() || closed) {
            return Map.of();
        }
        return Map.of("address", listeners.getFirst().address().toString());
    }

    /** This node's endpoint id (canonical form); creates the endpoint when none runs yet. */
    String endpointId() {
        return Native.endpointAddr(endpoint(null), 0, false).split("\\|", -1)[0];
    }

    /** Open connections, for tests and status. */
    int connectionCount() {
        return (int) connections.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    @Override
    public void close() {
        long ep;
        List<IrohListener> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ep = endpoint;
            endpoint = 0;
            open = List.copyOf(listeners);
            listeners.clear();
        }
        open.forEach(IrohListener::close);
        for (CompletableFuture<IrohConnection> connection : connections.values()) {
            connection.thenAccept(c -> c.close("transport closed"));
        }
        if (ep != 0 && onIrohThread()) {
            // closing blocks until the runtime stops, which a runtime thread cannot wait for: close from another one
            Thread.ofPlatform().name("iroh-close").start(() -> Native.endpointClose(ep));
        } else if (ep != 0) {
            Native.endpointClose(ep);
        }
    }
}
