package io.alknet.transport.iroh.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The binding to {@code libalknet_iroh} (the Rust crate in {@code transports/iroh/native}) through the Foreign
 * Function & Memory API: one method handle per exported function and one upcall, {@link #onEvent}, through
 * which the library reports every completion.
 *
 * <h2>Ownership</h2>
 * The library names endpoints, connections and streams by {@code long} handles; Java never holds a Rust
 * pointer. Each handle is freed exactly once by its Java owner ({@link IrohEndpoint}, {@link IrohConnection},
 * {@link IrohStream}). Strings and buffers handed down live in a confined arena for the duration of the call;
 * received bytes are lent to {@link EventSink#onEvent} and must be copied if kept.
 *
 * <h2>Threads</h2>
 * Upcalls arrive on the library's tokio threads. Sinks must not block there; an exception thrown by a sink is
 * caught here (an exception escaping an upcall would end the JVM).
 */
public final class Native {

    private static final Logger LOG = LoggerFactory.getLogger(Native.class);

    /** Where the jar carries the library. */
    static final String RESOURCE = "/native/linux-x86_64/libalknet_iroh.so";
    /** A system property naming the library file to load instead (development). */
    static final String LIBRARY_PROPERTY = "alknet.iroh.library";

    // Event kinds (lib.rs).
    static final int EV_DONE = 0;
    static final int EV_FAILED = 1;
    static final int EV_INCOMING = 2;
    static final int EV_ENDED = 3;
    static final int EV_DATA = 10;
    static final int EV_EOF = 11;
    static final int EV_READ_FAILED = 12;
    static final int EV_WRITTEN = 13;
    static final int EV_WRITE_FAILED = 14;
    static final int EV_FINISHED = 15;
    static final int EV_READ_STOPPED = 16;

    // Error codes (lib.rs).
    static final long E_INVALID = -1;
    static final long E_CLOSED = -2;
    static final long E_CONNECT = -3;
    static final long E_PANIC = -4;
    static final long E_BIND = -5;
    static final long E_RESET = -6;
    static final long E_LOST = -7;
    static final long E_TIMEOUT = -8;

    private static final int ERROR_BUFFER = 1024;

    /** Receives the events addressed to one token or stream handle. */
    interface EventSink {
        /** {@code data} is valid during this call only. */
        void onEvent(int kind, long value, MemorySegment data);
    }

    private static final Map<Long, EventSink> SINKS = new ConcurrentHashMap<>();
    private static final AtomicLong TOKENS = new AtomicLong(1L << 62); // above every handle the library hands out

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);

    private static volatile Bindings bindings;
    private static volatile String unavailable;

    private Native() {
    }

    /** The method handles, resolved once. */
    private record Bindings(
            MethodHandle stats, MethodHandle idCanonical, MethodHandle endpointCreate, MethodHandle endpointAddr,
            MethodHandle endpointClose, MethodHandle connect, MethodHandle listen,
            MethodHandle connRemoteId, MethodHandle connPath, MethodHandle connServe, MethodHandle openBi,
            MethodHandle connClose, MethodHandle connFree, MethodHandle streamStart, MethodHandle streamPause,
            MethodHandle streamWrite, MethodHandle streamFinish, MethodHandle streamReset, MethodHandle streamFree) {
    }

    /** Loads the library once. */
    static synchronized void load() {
        if (bindings != null || unavailable != null) {
            return;
        }
        try {
            bindings = bind(locate());
        } catch (Throwable e) {
            unavailable = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.debug("iroh native library unavailable", e);
        }
    }

    /**
     * Why the library cannot be used, or {@code null} when it looks usable. Cheap: it checks the platform and that the
     * library is there without loading it (extracting and loading it costs about 250 ms, which every alknet start would
     * pay through {@code alknet plugins}-style discovery); a library that is there but fails to load is reported when
     * an endpoint is first created.
     */
    public static String unavailableReason() {
        if (bindings != null || unavailable != null) {
            return unavailable;
        }
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Files.isReadable(Path.of(override)) ? null : "the iroh library " + override + " (" + LIBRARY_PROPERTY + ") is missing";
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "the iroh transport has a native library for linux-x86_64 only, not " + os + "-" + arch;
        }
        return Native.class.getResource(RESOURCE) == null ? MISSING : null;
    }

    private static final String MISSING = "this build of alknet has no iroh native library (cargo was missing when it was built; "
            + "install Rust from https://rustup.rs and rebuild)";

    private static Path locate() throws IOException {
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the iroh transport has a native library for linux-x86_64 only, not " + os + "-" + arch);
        }
        try (InputStream in = Native.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(MISSING);
            }
            Path file = Files.createTempFile("alknet-iroh-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    private static Bindings bind(Path library) throws Throwable {
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        MethodHandle onEvent = MethodHandles.lookup().findStatic(Native.class, "onEvent",
                MethodType.methodType(void.class, long.class, int.class, long.class, MemorySegment.class, long.class));
        MemorySegment callback = LINKER.upcallStub(onEvent,
                FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), Arena.global());
        long initialised = (long) handle(lookup, "alk_init", FunctionDescriptor.of(JAVA_LONG, ADDRESS)).invokeExact(callback);
        if (initialised != 0) {
            throw new IllegalStateException("alk_init failed: " + initialised);
        }
        return new Bindings(
                handle(lookup, "alk_stats", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_id_canonical", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_endpoint_create", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                        ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_endpoint_addr", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
                        ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_endpoint_close", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG)),
                handle(lookup, "alk_connect", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
                        JAVA_LONG, ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_listen", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG)),
                handle(lookup, "alk_conn_remote_id", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_conn_path", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG)),
                handle(lookup, "alk_conn_serve", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG)),
                handle(lookup, "alk_open_bi", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG)),
                handle(lookup, "alk_conn_close", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS)),
                handle(lookup, "alk_conn_free", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG)),
                handle(lookup, "alk_stream_start", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG)),
                handle(lookup, "alk_stream_pause", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT)),
                // Short, never calls back: critical, so a heap array is passed without copying it off-heap first.
                LINKER.downcallHandle(lookup.findOrThrow("alk_stream_write"),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), CRITICAL),
                handle(lookup, "alk_stream_finish", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG)),
                handle(lookup, "alk_stream_reset", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT)),
                handle(lookup, "alk_stream_free", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG)));
    }

    private static MethodHandle handle(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor);
    }

    private static Bindings b() {
        Bindings current = bindings;
        if (current == null) {
            load();
            current = bindings;
            if (current == null) {
                throw new IllegalStateException("the iroh transport is unavailable: " + unavailable);
            }
        }
        return current;
    }

    /** The upcall. Never throws: an exception escaping here would crash the JVM. */
    @SuppressWarnings("unused")
    private static void onEvent(long token, int kind, long value, MemorySegment data, long length) {
        try {
            EventSink sink = SINKS.get(token);
            if (sink != null) {
                sink.onEvent(kind, value, length == 0 ? MemorySegment.NULL : data.reinterpret(length));
            }
        } catch (Throwable t) {
            LOG.warn("iroh event handler failed (kind {}): {}", kind, t.toString(), t);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Sinks

    /** A fresh token for an operation's events. */
    static long register(EventSink sink) {
        long token = TOKENS.getAndIncrement();
        SINKS.put(token, sink);
        return token;
    }

    /** Addresses a stream handle's events to {@code sink}. */
    static void register(long handle, EventSink sink) {
        SINKS.put(handle, sink);
    }

    static void unregister(long tokenOrHandle) {
        SINKS.remove(tokenOrHandle);
    }

    /** Registered sinks: pending operations, open streams, serve loops (the Java side's own accounting). */
    static int sinkCount() {
        return SINKS.size();
    }

    /** The message of a failure event. */
    static String message(MemorySegment data) {
        return data.byteSize() == 0 ? "unknown error" : new String(data.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------
    // Calls

    /** A failed call: the library's code and message. */
    static final class NativeException extends RuntimeException {
        final long code;

        NativeException(long code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static long check(long result, MemorySegment error) {
        if (result < 0) {
            throw new NativeException(result, error.getString(0));
        }
        return result;
    }

    private static void check(long result, String what) {
        if (result < 0) {
            throw new NativeException(result, what + " failed (code " + result + ")");
        }
    }

    private static MemorySegment string(Arena arena, String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(value);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** Live native bytes, live allocations, endpoints, connections, streams. */
    static long[] stats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG, 5);
            check((long) b().stats().invokeExact(out, 5L), "alk_stats");
            return out.toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The canonical form of an endpoint id. */
    static String canonicalId(String id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(128);
            MemorySegment error = arena.allocate(ERROR_BUFFER);
            check((long) b().idCanonical().invokeExact(string(arena, id), out, 128L, error, (long) ERROR_BUFFER), error);
            return out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long endpointCreate(byte[] secret, int relayMode, String relayUrl, String proxyUrl, String bind, String alpns, int threads,
                               long idleTimeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = secret == null ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_BYTE, secret);
            MemorySegment error = arena.allocate(ERROR_BUFFER);
            try {
                return check((long) b().endpointCreate().invokeExact(key, relayMode, string(arena, relayUrl), string(arena, proxyUrl),
                        string(arena, bind), string(arena, alpns), threads, idleTimeoutMillis, error, (long) ERROR_BUFFER), error);
            } finally {
                if (key != MemorySegment.NULL) {
                    key.fill((byte) 0);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }


    /** {@code ID|addr,addr|relay}. */
    static String endpointAddr(long endpoint, long waitMillis, boolean wantRelay) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(4096);
            MemorySegment error = arena.allocate(ERROR_BUFFER);
            check((long) b().endpointAddr().invokeExact(endpoint, waitMillis, wantRelay ? 1 : 0, out, 4096L, error, (long) ERROR_BUFFER),
                    error);
            return out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void endpointClose(long endpoint) {
        try {
            check((long) b().endpointClose().invokeExact(endpoint), "alk_endpoint_close");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void connect(long endpoint, String id, String addrs, String relay, String alpn, long timeoutMillis, long token) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = arena.allocate(ERROR_BUFFER);
            check((long) b().connect().invokeExact(endpoint, string(arena, id), string(arena, addrs), string(arena, relay),
                    string(arena, alpn), timeoutMillis, token, error, (long) ERROR_BUFFER), error);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void listen(long endpoint, long token) {
        try {
            check((long) b().listen().invokeExact(endpoint, token), "alk_listen");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String connRemoteId(long conn) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(128);
            check((long) b().connRemoteId().invokeExact(conn, out, 128L), "alk_conn_remote_id");
            return out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** 0 = no path, 1 = direct, 2 = relayed. */
    static int connPath(long conn) {
        try {
            long path = (long) b().connPath().invokeExact(conn);
            check(path, "alk_conn_path");
            return (int) path;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void connServe(long conn, boolean accept, long token) {
        try {
            check((long) b().connServe().invokeExact(conn, accept ? 1 : 0, token), "alk_conn_serve");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void openBi(long conn, long token) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = arena.allocate(ERROR_BUFFER);
            check((long) b().openBi().invokeExact(conn, token, error, (long) ERROR_BUFFER), error);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void connClose(long conn, int code, String reason) {
        try (Arena arena = Arena.ofConfined()) {
            check((long) b().connClose().invokeExact(conn, code, string(arena, reason)), "alk_conn_close");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void connFree(long conn) {
        try {
            check((long) b().connFree().invokeExact(conn), "alk_conn_free");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Returns false when the stream is gone (freed), true when reading started. */
    static boolean streamStart(long stream) {
        try {
            return (long) b().streamStart().invokeExact(stream) == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void streamPause(long stream, boolean paused) {
        try {
            long ignored = (long) b().streamPause().invokeExact(stream, paused ? 1 : 0); // a freed stream has nothing to pause
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Queues a copy of the buffer's remaining bytes; false when the stream is closed. */
    static boolean streamWrite(long stream, ByteBuffer data) {
        int length = data.remaining();
        try {
            long result;
            if (data.hasArray()) {
                MemorySegment heap = MemorySegment.ofArray(data.array()).asSlice(data.arrayOffset() + data.position(), length);
                result = (long) b().streamWrite().invokeExact(stream, heap, (long) length);
            } else if (data.isDirect()) {
                result = (long) b().streamWrite().invokeExact(stream, MemorySegment.ofBuffer(data), (long) length);
            } else {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment copy = arena.allocate(Math.max(1, length));
                    copy.asByteBuffer().put(data.duplicate());
                    result = (long) b().streamWrite().invokeExact(stream, copy, (long) length);
                }
            }
            return result == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean streamFinish(long stream) {
        try {
            return (long) b().streamFinish().invokeExact(stream) == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void streamReset(long stream, int code) {
        try {
            long ignored = (long) b().streamReset().invokeExact(stream, code);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void streamFree(long stream) {
        try {
            long ignored = (long) b().streamFree().invokeExact(stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
