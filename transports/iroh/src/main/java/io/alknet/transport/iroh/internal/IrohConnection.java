package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One iroh QUIC connection to a peer endpoint, carrying any number of {@link IrohStream}s. Owns its native
 * handle: freed once the connection ended (the library's serve loop reports that) or on {@link #close}.
 */
final class IrohConnection {

    private final long handle;
    private final String remoteId;
    private final PeerInfo peer;
    private final Set<IrohStream> streams = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final long serveToken;

    /**
     * Wraps a connection handle and starts serving it: with {@code onStream} set, streams the peer opens are
     * handed to it; without, they are refused.
     */
    IrohConnection(long handle, Consumer<IrohStream> onStream) {
        this.handle = handle;
        this.remoteId = Native.connRemoteId(handle);
        this.peer = new PeerInfo(IrohTransport.SCHEME, SecurityLevel.TLS_EQUIVALENT, Optional.empty(), Optional.empty(),
                Optional.of(remoteId), Optional.empty());
        this.serveToken = Native.register((kind, value, data) -> onServeEvent(kind, value, data, onStream));
        try {
            Native.connServe(handle, onStream != null, serveToken);
        } catch (RuntimeException e) {
            Native.unregister(serveToken);
            Native.connFree(handle);
            throw e;
        }
    }

    String remoteId() {
        return remoteId;
    }

    /** How the connection runs now: {@code direct}, {@code relay} or {@code none}. */
    String path() {
        int path;
        try {
            path = ended.isDone() ? 0 : Native.connPath(handle);
        } catch (Native.NativeException e) {
            path = 0; // it ended (and was freed) meanwhile
        }
        return switch (path) {
            case 1 -> "direct";
            case 2 -> "relay";
            case 3 -> "custom";
            default -> "none";
        };
    }

    boolean isOpen() {
        return !ended.isDone();
    }

    /** Completes with the close reason once the connection ended. */
    CompletableFuture<String> ended() {
        return ended;
    }

    /** Opens a new stream. */
    CompletableFuture<IrohStream> openStream() {
        CompletableFuture<IrohStream> result = new CompletableFuture<>();
        if (ended.isDone()) {
            result.completeExceptionally(new IOException("the iroh connection to " + shortId() + " is closed: " + ended.join()));
            return result;
        }
        long[] token = new long[1];
        token[0] = Native.register((kind, value, data) -> {
            Native.unregister(token[0]);
            if (kind == Native.EV_DONE) {
                IrohStream stream = adopt(value);
                if (!result.complete(stream)) {
                    stream.abort();
                }
            } else {
                result.completeExceptionally(new IOException(Native.message(data)));
            }
        });
        try {
            Native.openBi(handle, token[0]);
        } catch (RuntimeException e) {
            Native.unregister(token[0]);
            result.completeExceptionally(new AlknetException(ErrorCode.CONNECTION_FAILED, e.getMessage(), e));
        }
        return result;
    }

    private IrohStream adopt(long streamHandle) {
        IrohStream stream = new IrohStream(streamHandle, peer, this);
        streams.add(stream);
        return stream;
    }

    void streamClosed(IrohStream stream) {
        streams.remove(stream);
    }

    int openStreams() {
        return streams.size();
    }

    private void onServeEvent(int kind, long value, MemorySegment data, Consumer<IrohStream> onStream) {
        if (kind == Native.EV_INCOMING) {
            IrohStream stream = adopt(value);
            if (onStream != null) {
                onStream.accept(stream);
            } else {
                stream.abort();
            }
        } else if (kind == Native.EV_ENDED) {
            Native.unregister(serveToken);
            String reason = Native.message(data);
            if (ended.complete(reason)) {
                Native.connFree(handle);
                // a stream that is not reading (not started, or paused) and not writing hears of this from no one else
                IOException lost = new IOException("the iroh connection to " + shortId() + " ended: " + reason);
                for (IrohStream stream : java.util.List.copyOf(streams)) {
                    stream.connectionEnded(lost);
                }
            }
        }
    }

    /** Closes the connection; its streams fail. Idempotent. */
    void close(String reason) {
        if (!ended.isDone()) {
            try {
                Native.connClose(handle, 0, reason);
            } catch (Native.NativeException e) {
                // it ended (and was freed) meanwhile
            }
        }
    }

    private String shortId() {
        return remoteId.length() > 10 ? remoteId.substring(0, 10) : remoteId;
    }

    @Override
    public String toString() {
        return "IrohConnection[" + shortId() + "]";
    }
}
