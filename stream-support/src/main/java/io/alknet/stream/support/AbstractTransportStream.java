package io.alknet.stream.support;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link TransportStream} rules, done once; a transport supplies its primitives ({@code do…} methods) and reports
 * what happens on its connection ({@link #dataArrived}, {@link #inputEnded}, {@link #written}, {@link #outputShutdown},
 * {@link #transportFailed}, {@link #transportClosed}). What the base guarantees, whatever the transport:
 *
 * <ul>
 *   <li><b>Start once; nothing is lost before it.</b> Data, the end of input and the close that arrive before
 *       {@link #start} are held and told in order once it is called.</li>
 *   <li><b>Writes in call order, from any thread.</b> Every outbound operation goes through one queue drained in the
 *       outbound executor, so a mix of calls from the I/O thread and from others keeps its order, and each drain
 *       flushes once. Writes may be handed to the transport all at once ({@link #doWrite} while earlier ones are still
 *       in flight) or, for a transport that can only do one at a time ({@link #oneWriteAtATime()}), one after another.</li>
 *   <li><b>Pause and resume.</b> While paused, what the source still delivers (a read already under way, a TLS record)
 *       is held, and told in order on resume; the source itself is paused, which bounds what is held.</li>
 *   <li><b>An end goes out after the bytes before it.</b> A half-close or close is sent only once every write queued
 *       before it completed: transports such as Netty drop what waits in their buffers when told to close, and a
 *       reader slower than the writer must still get every byte. If the peer takes nothing at all for
 *       {@link #SEND_TIMEOUT_MILLIS} meanwhile, the stream is aborted instead (as nginx's {@code send_timeout}).</li>
 *   <li><b>An abort or a failure is never a clean end.</b> A failed write ends the stream with that error;
 *       {@link #abort()} drops queued writes and held data and resets the connection ({@link #doAbort}); the handler
 *       is told the error.</li>
 *   <li><b>Told once, in order.</b> {@code onInputClosed} and {@code onClosed} are each told at most once, after the
 *       data that arrived before them; nothing follows {@code onClosed}. Once both directions ended the stream closes
 *       itself. A handler that throws aborts the stream.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Inbound state (the handler, held events) lives in the inbound {@link StreamExecutor} and outbound state (the write
 * queue, ends) in the outbound one; handler callbacks run in the inbound executor, one at a time. A Netty stream passes
 * its event loop for both; other transports use {@link SerialExecutor}s. The transport's report methods may be called
 * from any thread: they enter the right executor (running at once when it is idle, {@link StreamExecutor#tryRunNow}).
 * The {@code do…} primitives are called from the outbound executor ({@link #doPauseReading}/{@link #doResumeReading}
 * from the inbound one) and must not block; each end primitive is called at most once.
 *
 * @param <M> the transport's buffer type, e.g. {@link ByteBuffer} or Netty's {@code ByteBuf}
 */
public abstract class AbstractTransportStream<M> implements TransportStream {

    /**
     * How long a pending half-close or close waits on a peer that takes nothing at all before the stream is aborted,
     * in milliseconds; system property {@code alknet.send-timeout}.
     */
    public static final long SEND_TIMEOUT_MILLIS = Long.getLong("alknet.send-timeout", TimeUnit.SECONDS.toMillis(60));

    private static final int STARTED = 1;
    private static final int PAUSED = 1 << 1;
    private static final int SHUTDOWN_REQUESTED = 1 << 2;
    private static final int CLOSE_REQUESTED = 1 << 3;
    private static final int ABORTED = 1 << 4;
    private static final int CLOSED = 1 << 5;
    private static final int DRAIN_SCHEDULED = 1 << 6;
    private static final int NOT_WRITABLE = SHUTDOWN_REQUESTED | CLOSE_REQUESTED | ABORTED | CLOSED;

    private static final Object INPUT_CLOSED = new Object();
    private static final VarHandle STATE;
    private static final VarHandle FAILURE;
    private static final VarHandle TAIL;
    private static final VarHandle SHUTDOWN_OP;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("alknet-stream-timer").factory());

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(AbstractTransportStream.class, "state", int.class);
            FAILURE = lookup.findVarHandle(AbstractTransportStream.class, "failure", Throwable.class);
            TAIL = lookup.findVarHandle(AbstractTransportStream.class, "tail", Op.class);
            SHUTDOWN_OP = lookup.findVarHandle(AbstractTransportStream.class, "shutdownOp", Op.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PeerInfo peer;
    private final StreamExecutor inbound;
    private final StreamExecutor outbound;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Runnable drainTask = this::scheduledDrain;
    private volatile int state;
    /** The first error: the one the handler is told. */
    private volatile Throwable failure;
    /** The transport reported the end of input (it may not be told yet). */
    private volatile boolean inputEnded;
    /** The end of input was told: with our end sent too, the stream closes. */
    private volatile boolean inputTold;
    /** Our end of output is going (or went) out. */
    private volatile boolean outputDone;
    private volatile Op<M> shutdownOp;

    // The outbound queue: a multi-producer, single-consumer linked queue (Vyukov's), linked through the operations
    // themselves. Producers swap the tail; the outbound executor consumes from head.
    private volatile Op<M> tail;
    private Op<M> head;

    // Outbound executor only.
    /** Taken from the queue and not completed yet, oldest first (those not handed over yet keep their data). */
    private Op<M> inFlightHead;
    private Op<M> inFlightTail;
    private boolean outputEnding;
    private Op<M> pendingShutdown;
    private boolean shutdownStarted;
    private boolean shutdownCompleted;
    private boolean closeQueued;
    private boolean closing;
    private boolean abortStarted;
    private long completedWrites;
    private boolean watching;
    private long progressMark;

    // Inbound executor only.
    private StreamHandler handler;
    /** Events held until start or resume, in order (data, or INPUT_CLOSED); null when none are held. */
    private ArrayDeque<Object> held;
    private boolean inputSeen;
    private boolean inputClosedPending;
    private boolean closedSeen;
    private boolean closedTold;

    /**
     * @param inbound  where inbound events are handled and the handler is called
     * @param outbound where writes and ends are handed to the transport (may be {@code inbound})
     */
    protected AbstractTransportStream(PeerInfo peer, StreamExecutor inbound, StreamExecutor outbound) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        Op<M> stub = new Op<>(Op.DATA, null);
        this.head = stub;
        this.tail = stub;
    }

    /** With an {@linkplain SerialExecutor#inline() inline} serial executor for each direction. */
    protected AbstractTransportStream(PeerInfo peer) {
        this(peer, SerialExecutor.inline(), SerialExecutor.inline());
    }

    // ---- what the transport supplies ----

    /**
     * Hands {@code data} to the transport; report its completion with {@link #written} or {@link #writeFailed}, in the
     * order of the calls. The transport owns {@code data} from now on.
     */
    protected abstract void doWrite(M data);

    /** Pushes what {@link #doWrite} handed over in this drain to the wire; called once per drain. Default: nothing. */
    protected void doFlush() {
    }

    /**
     * Sends the end of output (every write completed); report with {@link #outputShutdown()}. A transport whose input
     * already ended may close instead.
     */
    protected abstract void doShutdownOutput();

    /**
     * Graceful close: every write completed, the end of output (if not sent yet) and then the close; report with
     * {@link #transportClosed}.
     */
    protected abstract void doClose();

    /**
     * Reset: drops what the transport still holds and closes so that the peer sees an error, never a clean end; report
     * with {@link #transportClosed}. Also called after {@link #doClose()} when the stream is aborted meanwhile.
     */
    protected abstract void doAbort(Throwable cause);

    /**
     * Stops reading from the source (what is read meanwhile is held). Called from the inbound executor on start (when
     * paused before it) and on every pause; must be idempotent.
     */
    protected abstract void doPauseReading();

    /**
     * Starts or resumes reading: called from the inbound executor on start (unless paused) and on every resume; the
     * first call starts reading. Must be idempotent.
     */
    protected abstract void doResumeReading();

    /** Keeps {@code data} beyond the call that reported it: a copy, unless the transport handed it over for good. */
    protected abstract M retain(M data);

    /** Gives up data that will never be delivered or written. Default: nothing. */
    protected void release(M data) {
    }

    /** Tells the handler {@code data}; releases it if the transport needs that. */
    protected abstract void deliver(StreamHandler handler, M data);

    /** The transport's buffer for a caller's buffer, which it may keep until the write completes. */
    protected abstract M wrap(ByteBuffer data);

    /** A copy of {@code data}, which is valid only during the call. */
    protected abstract M copyOf(ByteBuffer data);

    /** True for a transport that takes one write at a time: the next is handed over when the last completed. */
    protected boolean oneWriteAtATime() {
        return false;
    }

    /**
     * A number that changes whenever the peer takes bytes, for the send timeout: by default the count of completed
     * writes; a transport that sees partial progress (bytes still buffered) reports that instead.
     */
    protected long outboundProgress() {
        return completedWrites;
    }

    /** How long an end waits on a peer that takes nothing before the stream is aborted. */
    protected long sendTimeoutMillis() {
        return SEND_TIMEOUT_MILLIS;
    }

    /** Runs {@code task} in the outbound executor after {@code delayMillis}. */
    protected void schedule(Runnable task, long delayMillis) {
        TIMER.schedule(() -> outbound.execute(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    // ---- what the transport reports (any thread) ----

    /** Bytes arrived; {@code data} is valid only during the call unless {@link #retain} keeps it. */
    protected final void dataArrived(M data) {
        if (inbound.inExecutor()) {
            onData(data, false);
        } else if (!inbound.tryRunNow(() -> onData(data, false))) {
            M kept = retain(data);
            inbound.execute(() -> onData(kept, true));
        }
    }

    /** The peer ended its data (a half-close). */
    protected final void inputEnded() {
        inputEnded = true;
        inInbound(this::onInputEnded);
    }

    /** The oldest {@code count} writes handed over completed. */
    protected final void written(int count) {
        if (outbound.inExecutor()) {
            onWritten(count);
        } else {
            outbound.execute(() -> onWritten(count));
        }
    }

    /** The oldest write handed over (or the end of output, when none is) failed: the stream fails with that error. */
    protected final void writeFailed(Throwable error) {
        inOutbound(() -> onWriteFailed(error));
    }

    /** The end of output went out. */
    protected final void outputShutdown() {
        inOutbound(this::onOutputShutdown);
    }

    /** The connection failed (a reset, a read error): the stream is aborted with that error. */
    protected final void transportFailed(Throwable error) {
        abortWith(asIoException(error));
    }

    /**
     * The connection is closed, with the error that closed it or {@code null} for an orderly close. The close future
     * completes now; the handler is told after what is still held.
     */
    protected final void transportClosed(Throwable error) {
        if (error != null) {
            FAILURE.compareAndSet(this, null, error);
        }
        if (setBit(CLOSED)) {
            inInbound(this::onTransportClosed);
        }
    }

    /** Whether the transport reported the end of input; for a {@link #doShutdownOutput} that closes then. */
    protected final boolean isInputEnded() {
        return inputEnded;
    }

    /** Writes a buffer of the transport's own type; the stream takes ownership of it. */
    protected final CompletionStage<Void> writeMessage(M data) {
        if (!writable()) {
            release(data);
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return enqueueData(data);
    }

    // ---- TransportStream ----

    @Override
    public final PeerInfo peer() {
        return peer;
    }

    @Override
    public final void start(StreamHandler streamHandler) {
        Objects.requireNonNull(streamHandler, "handler");
        if (!setBit(STARTED)) {
            throw new IllegalStateException("stream already started");
        }
        inbound.execute(() -> {
            handler = streamHandler;
            applyReadState();
        });
    }

    @Override
    public final CompletionStage<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (!writable()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return enqueueData(wrap(data));
    }

    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        if (!writable()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return enqueueData(copyOf(data));
    }

    @Override
    public final void pauseReading() {
        if (setBit(PAUSED)) {
            readStateChanged();
        }
    }

    @Override
    public final void resumeReading() {
        if (clearBits(PAUSED)) {
            readStateChanged();
        }
    }

    private void readStateChanged() {
        if (inbound.inExecutor()) {
            applyReadState();
        } else {
            inbound.execute(this::applyReadState);
        }
    }

    @Override
    public final CompletionStage<Void> shutdownOutput() {
        Op<M> existing = shutdownOp;
        if (existing != null) {
            return existing;
        }
        if ((state & (CLOSE_REQUESTED | ABORTED | CLOSED)) != 0 || !isOpen()) {
            return CompletableFuture.completedFuture(null); // the close sends the end, or the stream is gone
        }
        Op<M> op = new Op<>(Op.SHUTDOWN, null);
        @SuppressWarnings("unchecked")
        Op<M> witness = (Op<M>) SHUTDOWN_OP.compareAndExchange(this, (Op<M>) null, op);
        if (witness != null) {
            return witness;
        }
        setBit(SHUTDOWN_REQUESTED);
        enqueue(op);
        return op;
    }

    /** Graceful: sends every queued write, then the end, then closes (see the class comment for a peer that stops reading). */
    @Override
    public final void close() {
        if (!isOpen() || !setBitsUnless(CLOSE_REQUESTED, CLOSE_REQUESTED | ABORTED | CLOSED)) {
            return;
        }
        enqueue(new Op<>(Op.CLOSE, null));
    }

    /** Drops queued writes and held data, resets the connection and tells the handler an error. */
    @Override
    public final void abort() {
        abortWith(new IOException("the stream was aborted"));
    }

    /** True until the transport reported the close; a transport may narrow it. */
    @Override
    public boolean isOpen() {
        return (state & CLOSED) == 0;
    }

    @Override
    public final CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    // ---- outbound ----

    private boolean writable() {
        return (state & NOT_WRITABLE) == 0 && isOpen();
    }

    private CompletionStage<Void> enqueueData(M data) {
        Op<M> op = new Op<>(Op.DATA, data);
        enqueue(op);
        return op;
    }

    /**
     * A write from the outbound executor is handed over at once; anything else (a write from another thread, an end)
     * is drained by one task, after the executor's current round: an event loop ends a connection after the round's
     * reads, so the end of one connection waits for the start of the next that arrived with it.
     */
    private void enqueue(Op<M> op) {
        @SuppressWarnings("unchecked")
        Op<M> previous = (Op<M>) TAIL.getAndSet(this, op);
        previous.next = op;
        if (op.kind == Op.DATA && outbound.inExecutor()) {
            drain();
        } else if (setBit(DRAIN_SCHEDULED)) {
            outbound.execute(drainTask);
        }
    }

    private void scheduledDrain() {
        clearBits(DRAIN_SCHEDULED);
        drain();
    }

    private Op<M> poll() {
        Op<M> next = head.next;
        if (next != null) {
            head = next;
        }
        return next;
    }

    private void drain() {
        boolean handedOver = false;
        Op<M> op;
        while ((op = poll()) != null) {
            if (op.kind != Op.DATA) {
                if (handedOver) {
                    doFlush();
                    handedOver = false;
                }
                endRequested(op);
                continue;
            }
            if (outputEnding || (state & (ABORTED | CLOSED)) != 0 || !isOpen()) {
                M data = op.data;
                op.data = null;
                release(data);
                op.completeExceptionally(new ClosedChannelException());
                continue;
            }
            boolean idle = inFlightHead == null;
            if (idle) {
                inFlightHead = op;
            } else {
                inFlightTail.nextInFlight = op;
            }
            inFlightTail = op;
            if (idle || !oneWriteAtATime()) {
                handOver(op);
                handedOver = true;
            }
        }
        if (handedOver) {
            doFlush();
        }
    }

    private void handOver(Op<M> op) {
        M data = op.data;
        op.data = null;
        try {
            doWrite(data);
        } catch (RuntimeException e) {
            abortWith(asIoException(e));
        }
    }

    private void onWritten(int count) {
        for (int i = 0; i < count && inFlightHead != null; i++) {
            Op<M> op = popInFlight();
            completedWrites++;
            op.complete(null);
        }
        afterCompletion();
    }

    private void onWriteFailed(Throwable error) {
        Op<M> op = popInFlight();
        IOException cause = asIoException(error);
        FAILURE.compareAndSet(this, null, cause);
        if (op != null) {
            op.completeExceptionally(error);
        }
        abortWith(failure);
    }

    private Op<M> popInFlight() {
        Op<M> op = inFlightHead;
        if (op != null) {
            inFlightHead = op.nextInFlight;
            op.nextInFlight = null;
            if (inFlightHead == null) {
                inFlightTail = null;
            }
        }
        return op;
    }

    private void afterCompletion() {
        Op<M> next = inFlightHead;
        if (next != null) {
            if (next.data != null && (state & (ABORTED | CLOSED)) == 0) {
                handOver(next); // one at a time: the next write goes now
                doFlush();
            }
            return;
        }
        if (outputEnding) {
            runEnds();
        }
    }

    private void endRequested(Op<M> op) {
        outputEnding = true;
        if ((state & (ABORTED | CLOSED)) != 0) {
            if (op.kind == Op.SHUTDOWN) {
                op.completeExceptionally(failure != null ? failure : new ClosedChannelException());
            }
            return;
        }
        if (op.kind == Op.SHUTDOWN) {
            if (closeQueued || closing) {
                op.complete(null); // the close sends the end
                return;
            }
            pendingShutdown = op;
        } else {
            closeQueued = true;
        }
        runEnds();
    }

    /** Starts the next end once every write before it completed: the half-close first, then the close. */
    private void runEnds() {
        if ((state & (ABORTED | CLOSED)) != 0) {
            return;
        }
        if (inFlightHead != null) {
            watchSendProgress();
            return;
        }
        if (pendingShutdown != null && !shutdownStarted) {
            shutdownStarted = true;
            outputDone = true;
            try {
                doShutdownOutput();
            } catch (RuntimeException e) {
                abortWith(asIoException(e));
            }
            return;
        }
        if (closeQueued && !closing && (pendingShutdown == null || shutdownCompleted)) {
            closing = true;
            outputDone = true;
            try {
                doClose();
            } catch (RuntimeException e) {
                abortWith(asIoException(e));
            }
        }
    }

    private void onOutputShutdown() {
        if (shutdownCompleted || pendingShutdown == null) {
            return;
        }
        shutdownCompleted = true;
        pendingShutdown.complete(null);
        if (inputTold) {
            closeQueued = true; // both directions ended: the stream is done
        }
        runEnds();
    }

    /** While an end waits for writes: aborts the stream once the peer took nothing for a whole period. */
    private void watchSendProgress() {
        if (watching) {
            return;
        }
        watching = true;
        progressMark = outboundProgress();
        schedule(this::checkSendProgress, sendTimeoutMillis());
    }

    private void checkSendProgress() {
        watching = false;
        if (inFlightHead == null || (state & (ABORTED | CLOSED)) != 0) {
            return;
        }
        if (outboundProgress() == progressMark) {
            abortWith(new IOException("the peer read nothing for " + sendTimeoutMillis() + " ms while the stream was ending"));
            return;
        }
        watchSendProgress();
    }

    /** Both directions ended (or the input did after our end): closes, after a half-close still under way. */
    private void closeWhenBothEnded() {
        inOutbound(() -> {
            closeQueued = true;
            outputEnding = true;
            runEnds();
        });
    }

    private void abortWith(Throwable cause) {
        FAILURE.compareAndSet(this, null, cause);
        setBit(SHUTDOWN_REQUESTED);
        if (!setBit(ABORTED)) {
            return;
        }
        inOutbound(this::abortOutbound);
        inInbound(this::dropHeld);
    }

    private void abortOutbound() {
        drain(); // fails what is queued
        if (!abortStarted && (state & CLOSED) == 0) { // a stream closed already has nothing left to reset
            abortStarted = true;
            outputDone = true;
            try {
                doAbort(failure);
            } catch (RuntimeException e) {
                transportClosed(failure);
            }
        }
    }

    /** Fails what is queued and in flight once the transport is closed; a half-close that never went out fails too. */
    private void failOutbound() {
        drain();
        Op<M> op;
        while ((op = popInFlight()) != null) {
            M data = op.data;
            if (data != null) {
                op.data = null;
                release(data);
            }
            op.completeExceptionally(new ClosedChannelException());
        }
        if (pendingShutdown != null && !shutdownCompleted) {
            shutdownCompleted = true;
            if (shutdownStarted && failure == null) {
                pendingShutdown.complete(null);
            } else {
                pendingShutdown.completeExceptionally(failure != null ? failure : new ClosedChannelException());
            }
        }
    }

    // ---- inbound ----

    private void onData(M data, boolean retained) {
        int current = state;
        if (closedTold || (current & ABORTED) != 0) {
            release(data);
            return;
        }
        if (handler == null || held != null || (current & PAUSED) != 0) {
            // held until start or resume: a source may still deliver a read under way after it was paused
            hold(retained ? data : retain(data));
            return;
        }
        deliverData(data);
    }

    private void deliverData(M data) {
        try {
            deliver(handler, data);
        } catch (Throwable e) {
            handlerFailed(e);
        }
    }

    private void hold(Object event) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(event);
    }

    private void onInputEnded() {
        if (inputSeen || (state & ABORTED) != 0) {
            return;
        }
        inputSeen = true;
        if (handler == null || held != null) {
            hold(INPUT_CLOSED);
            if (outputDone) {
                closeWhenBothEnded(); // what is held is told before the close
            }
            return;
        }
        // After the executor's current round: ending a stream (EOF, CLOSE and FIN to pass on) can wait for the new
        // connection that arrived with it.
        inputClosedPending = true;
        inbound.execute(this::inputClosedTask);
    }

    private void inputClosedTask() {
        if (inputClosedPending) {
            inputClosedPending = false; // else told already, by a close that came first
            tellInputClosed();
        }
    }

    private void tellInputClosed() {
        inputTold = true;
        try {
            handler.onInputClosed();
        } catch (Throwable e) {
            handlerFailed(e);
        }
        if (outputDone) {
            closeWhenBothEnded();
        }
    }

    /** Delivers what was held and follows {@code PAUSED} with the source (once started). */
    private void applyReadState() {
        if (handler == null) {
            return;
        }
        deliverHeld();
        int current = state;
        if ((current & (CLOSED | ABORTED)) == 0) {
            if ((current & PAUSED) == 0) {
                doResumeReading();
            } else {
                doPauseReading();
            }
        }
        tellClosedIfDue();
    }

    /**
     * Delivers what was held before {@link #start} or while paused. Until this ran, newer events queue behind, keeping
     * order; a handler that pauses again stops the delivery.
     */
    @SuppressWarnings("unchecked")
    private void deliverHeld() {
        while (held != null && (state & PAUSED) == 0 && !closedTold) {
            Object event = held.poll();
            if (event == null) {
                held = null;
                return;
            }
            if (event == INPUT_CLOSED) {
                tellInputClosed();
            } else {
                deliverData((M) event);
            }
        }
    }

    private void dropHeld() {
        if (held != null) {
            for (Object event : held) {
                if (event != INPUT_CLOSED) {
                    @SuppressWarnings("unchecked")
                    M data = (M) event;
                    release(data);
                }
            }
            held = null;
        }
        tellClosedIfDue();
    }

    private void onTransportClosed() {
        closedSeen = true;
        inOutbound(this::failOutbound);
        closeFuture.complete(null);
        tellClosedIfDue();
    }

    /** The close is told once the handler is there and everything held before it was told. */
    private void tellClosedIfDue() {
        if (!closedSeen || closedTold || handler == null || (held != null && !held.isEmpty())) {
            return;
        }
        closedTold = true;
        held = null;
        if (inputClosedPending) {
            inputClosedPending = false; // a close queued before the end of input ran first: input ended before
            try {
                handler.onInputClosed();
            } catch (Throwable ignored) {
                // the close follows in any case
            }
        }
        try {
            handler.onClosed(failure);
        } catch (Throwable e) {
            Thread current = Thread.currentThread();
            current.getUncaughtExceptionHandler().uncaughtException(current, e);
        }
    }

    private void handlerFailed(Throwable e) {
        abortWith(new IOException("stream handler failed: " + e, e));
    }

    // ---- helpers ----

    private void inInbound(Runnable task) {
        if (inbound.inExecutor()) {
            task.run();
        } else {
            inbound.execute(task);
        }
    }

    private void inOutbound(Runnable task) {
        if (outbound.inExecutor()) {
            task.run();
        } else {
            outbound.execute(task);
        }
    }

    /** Sets {@code bit}; true if this call set it. */
    private boolean setBit(int bit) {
        int current;
        do {
            current = state;
            if ((current & bit) != 0) {
                return false;
            }
        } while (!STATE.compareAndSet(this, current, current | bit));
        return true;
    }

    /** Sets {@code bits} unless any of {@code unless} is set; true if set. */
    private boolean setBitsUnless(int bits, int unless) {
        int current;
        do {
            current = state;
            if ((current & unless) != 0) {
                return false;
            }
        } while (!STATE.compareAndSet(this, current, current | bits));
        return true;
    }

    /** Clears {@code bits}; true if any was set. */
    private boolean clearBits(int bits) {
        int current;
        do {
            current = state;
            if ((current & bits) == 0) {
                return false;
            }
        } while (!STATE.compareAndSet(this, current, current & ~bits));
        return true;
    }

    private static IOException asIoException(Throwable error) {
        return error instanceof IOException io ? io : new IOException(String.valueOf(error.getMessage()), error);
    }

    /**
     * A queued operation and the future its caller holds: one object per write. {@code next} links the queue;
     * {@code nextInFlight} the writes taken from it and not completed.
     */
    private static final class Op<M> extends CompletableFuture<Void> {
        static final byte DATA = 0;
        static final byte SHUTDOWN = 1;
        static final byte CLOSE = 2;

        final byte kind;
        M data;
        volatile Op<M> next;
        Op<M> nextInFlight;

        Op(byte kind, M data) {
            this.kind = kind;
            this.data = data;
        }
    }
}
