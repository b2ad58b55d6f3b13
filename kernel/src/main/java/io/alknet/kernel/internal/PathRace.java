package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.TransportAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Races one server's paths (tcp, tls, iroh) Happy-Eyeballs style (RFC 8305 section 5): the first path starts at once,
 * the next when the one before has failed or after {@link #STAGGER} without a session, and the first SSH session that
 * comes up wins. Each path's handshake verifies the server's host key, so a path that answers with another key fails
 * like any other and is never chosen. Losers are aborted: a stream still in its handshake is cut, one whose transport
 * connects after the race ended is closed at once.
 *
 * <p>Thread-safety: the callbacks of the attempts arrive on transport threads; all state is guarded by this object.
 */
final class PathRace {

    /** RFC 8305's recommended connection attempt delay. */
    static final Duration STAGGER = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger("alknet.client");

    /** The winning path and its session. */
    record Won(TransportAddress path, TunnelSession session) {
    }

    private final List<TransportAddress> paths;
    private final Function<TransportAddress, CompletionStage<TransportStream>> connect;
    private final Function<TransportAddress, Function<TransportStream, CompletionStage<TunnelSession>>> handshake;
    private final CompletableFuture<Won> result = new CompletableFuture<>();
    private final Map<TransportAddress, TransportStream> handshaking = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int started;
    private int failed;
    private CompletableFuture<Void> timer;

    private PathRace(List<TransportAddress> paths, Function<TransportAddress, CompletionStage<TransportStream>> connect,
                     Function<TransportAddress, Function<TransportStream, CompletionStage<TunnelSession>>> handshake) {
        this.paths = List.copyOf(paths);
        this.connect = connect;
        this.handshake = handshake;
    }

    /**
     * Runs the race.
     *
     * @param paths     in order of preference, at least one
     * @param connect   opens a transport stream to a path (may fail at once, e.g. an unavailable transport)
     * @param handshake the SSH handshake over a stream of that path, including the host key check
     * @return the first session up; or exceptionally, when every path failed, with each path's reason
     */
    static CompletionStage<Won> run(List<TransportAddress> paths, Function<TransportAddress, CompletionStage<TransportStream>> connect,
                                    Function<TransportAddress, Function<TransportStream, CompletionStage<TunnelSession>>> handshake) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no path to race");
        }
        PathRace race = new PathRace(paths, connect, handshake);
        race.next();
        return race.result;
    }

    private void next() {
        TransportAddress path;
        synchronized (this) {
            if (result.isDone() || started == paths.size()) {
                return;
            }
            path = paths.get(started++);
            if (timer != null) {
                timer.cancel(false);
            }
            if (started < paths.size()) {
                timer = CompletableFuture.runAsync(this::next, CompletableFuture.delayedExecutor(STAGGER.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        LOG.debug("client.path.try transport={} server={}", path.scheme(), path);
        CompletionStage<TransportStream> stream;
        try {
            stream = connect.apply(path);
        } catch (RuntimeException e) {
            stream = CompletableFuture.failedFuture(e);
        }
        stream.thenCompose(connected -> handshake(path, connected))
                .whenComplete((session, error) -> finished(path, session, error));
    }

    private CompletionStage<TunnelSession> handshake(TransportAddress path, TransportStream stream) {
        synchronized (this) {
            if (result.isDone()) {
                stream.abort(); // connected after another path won
                return CompletableFuture.failedFuture(new AlknetException(ErrorCode.CONNECTION_FAILED, "another path won"));
            }
            handshaking.put(path, stream);
        }
        return handshake.apply(path).apply(stream);
    }

    private void finished(TransportAddress path, TunnelSession session, Throwable error) {
        List<TransportStream> losers = new ArrayList<>();
        boolean won = false;
        boolean startNext = false;
        String allFailed = null;
        synchronized (this) {
            handshaking.remove(path);
            if (error == null && !result.isDone()) {
                won = true;
                losers.addAll(handshaking.values());
                handshaking.clear();
                if (timer != null) {
                    timer.cancel(false);
                }
            } else if (error != null && !result.isDone()) {
                failures.add(path + ": " + reason(error));
                failed++;
                if (failed == paths.size()) {
                    allFailed = String.join("; ", failures);
                } else {
                    startNext = failed == started; // nothing in flight: do not wait for the stagger
                }
            }
        }
        if (won) {
            LOG.info("client.path.won transport={} server={}", path.scheme(), path);
            losers.forEach(TransportStream::abort);
            result.complete(new Won(path, session));
        } else if (error == null) {
            session.close(); // a session that came up after the race was decided
        } else if (allFailed != null) {
            result.completeExceptionally(new AlknetException(codeOf(error), "no path to the server worked: " + allFailed));
        } else if (result.isDone()) {
            LOG.debug("client.path.closed transport={} (another path won)", path.scheme());
        } else {
            LOG.debug("client.path.failed transport={} reason={}", path.scheme(), reason(error));
            if (startNext) {
                next();
            }
        }
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    /** A host key refusal says the most, then a refused address; otherwise the paths could not be reached. */
    private ErrorCode codeOf(Throwable last) {
        return failures.stream().anyMatch(f -> f.contains("HOST KEY")) ? ErrorCode.HOST_KEY_REJECTED
                : AlknetException.codeOf(last, ErrorCode.CONNECTION_FAILED);
    }
}
