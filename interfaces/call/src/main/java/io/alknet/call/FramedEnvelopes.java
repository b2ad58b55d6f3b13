package io.alknet.call;

import io.alknet.api.call.CallError;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.call.EventEnvelope;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The call protocol's framing over one {@link TransportStream} (spec: call protocol, envelope and
 * framing): each envelope is a 4-byte unsigned big-endian length, then that many bytes of UTF-8 JSON
 * {@code {"type", "id", "payload"}}.
 *
 * <p>Bad input never ends the stream: a frame longer than {@code maxFrame} is skipped without buffering its
 * body, invalid JSON or a JSON value that is not an envelope is skipped, and each is reported to the
 * handler's {@link EnvelopeHandler#onMalformed} (which answers {@code PROTOCOL_ERROR}). A stream that ends
 * inside a frame reports the truncation, lets the calls already running finish, then closes.
 *
 * <p>Threading: the handler is called on the stream's I/O thread, in order; {@link #send} from any thread.
 */
public final class FramedEnvelopes implements EnvelopeSender {

    private static final int HEADER = 4;

    private final TransportStream stream;
    private final int maxFrame;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile EnvelopeHandler handler;

    // decoder state, touched only on the I/O thread
    private final byte[] header = new byte[HEADER];
    private int headerFilled;
    private byte[] body;
    private int bodyLength;
    private int bodyFilled;
    private long skipping;
    /**
     * A body buffer starts at most this large and doubles as bytes arrive: a length prefix alone (say from
     * a peer that has not authenticated) commits no more memory than the bytes it actually sent.
     */
    static final int INITIAL_BODY = 16 * 1024;

    /** @param maxFrame the largest frame body accepted, in bytes */
    public FramedEnvelopes(TransportStream stream, int maxFrame) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (maxFrame < 64) {
            throw new IllegalArgumentException("the frame limit must be at least 64 bytes");
        }
        this.maxFrame = maxFrame;
    }

    public TransportStream stream() {
        return stream;
    }

    /** Starts reading; envelopes go to {@code target}. Call once. */
    public void start(EnvelopeHandler target) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        this.handler = Objects.requireNonNull(target, "target");
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                decode(data);
            }

            @Override
            public void onInputClosed() {
                inputEnded();
            }

            @Override
            public void onClosed(Throwable error) {
                if (closed.compareAndSet(false, true)) {
                    handler.onClosed();
                }
            }
        });
    }

    /** Swaps the handler (after a raw stream's authentication frame); called on the I/O thread. */
    public void handler(EnvelopeHandler next) {
        this.handler = Objects.requireNonNull(next, "next");
    }

    @Override
    public CompletionStage<Void> send(EventEnvelope envelope) {
        byte[] json;
        try {
            json = encode(envelope);
            if (json.length > maxFrame && envelope.type().equals(EventEnvelope.CALL_RESPONDED)) {
                json = encode(EventEnvelope.call(EventEnvelope.CALL_ERROR, envelope.requestId(), CallError.of(CallError.EXECUTION_ERROR,
                        "the result is " + json.length + " bytes, more than the frame limit of " + maxFrame).toPayload()));
            } else if (json.length > maxFrame) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "an envelope of " + json.length + " bytes exceeds the frame limit of " + maxFrame));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        ByteBuffer frame = ByteBuffer.allocate(HEADER + json.length).putInt(json.length).put(json).flip();
        return stream.write(frame);
    }

    /** The JSON text of an envelope: exactly {@code type}, {@code id}, {@code payload}. */
    public static byte[] encode(EventEnvelope envelope) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", envelope.type());
        json.put("id", envelope.id());
        json.put("payload", envelope.payload());
        return Json.write(json);
    }

    @Override
    public void close() {
        stream.close();
    }

    private void decode(ByteBuffer data) {
        while (data.hasRemaining()) {
            if (skipping > 0) {
                int skip = (int) Math.min(skipping, data.remaining());
                data.position(data.position() + skip);
                skipping -= skip;
                continue;
            }
            if (body == null) {
                while (headerFilled < HEADER && data.hasRemaining()) {
                    header[headerFilled++] = data.get();
                }
                if (headerFilled < HEADER) {
                    return;
                }
                headerFilled = 0;
                long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt());
                if (length > maxFrame) {
                    skipping = length;
                    handler.onMalformed("", "a frame of " + length + " bytes exceeds the limit of " + maxFrame + " bytes; skipped");
                    continue;
                }
                bodyLength = (int) length;
                body = new byte[Math.min(bodyLength, INITIAL_BODY)];
                bodyFilled = 0;
            }
            int take = Math.min(bodyLength - bodyFilled, data.remaining());
            if (bodyFilled + take > body.length) {
                body = java.util.Arrays.copyOf(body, (int) Math.min(bodyLength, Math.max(2L * body.length, bodyFilled + take)));
            }
            data.get(body, bodyFilled, take);
            bodyFilled += take;
            if (bodyFilled == bodyLength) {
                byte[] complete = body;
                body = null;
                deliver(complete);
            }
        }
    }

    private void deliver(byte[] json) {
        Object value;
        try {
            value = Json.read(json);
        } catch (IllegalArgumentException e) {
            // the parser's own message quotes the offending text, which may be a secret: only where, never what
            handler.onMalformed("", "invalid JSON" + (e.getCause() instanceof tools.jackson.core.JacksonException parse
                    && parse.getLocation() != null ? " at line " + parse.getLocation().getLineNr() + ", column "
                    + parse.getLocation().getColumnNr() : ""));
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            handler.onMalformed("", "an envelope must be a JSON object with type, id and payload");
            return;
        }
        String requestId = requestIdOf(map);
        if (!(map.get("type") instanceof String type)) {
            handler.onMalformed(requestId, "an envelope needs a string 'type'");
            return;
        }
        if (!(map.get("id") instanceof String id)) {
            handler.onMalformed(requestId, "an envelope needs a string 'id' (the request id, a topic, or \"\")");
            return;
        }
        handler.onEnvelope(new EventEnvelope(type, id, map.get("payload")));
    }

    private static String requestIdOf(Map<?, ?> map) {
        if (map.get("payload") instanceof Map<?, ?> payload && payload.get("requestId") instanceof String requestId) {
            return requestId;
        }
        return map.get("id") instanceof String id ? id : "";
    }

    /** Bytes the decoder holds for the frame being read (tests). */
    int bufferedCapacity() {
        return body == null ? 0 : body.length;
    }

    private void inputEnded() {
        if (body != null) {
            handler.onMalformed("", "truncated frame: the stream ended after " + bodyFilled + " of " + bodyLength + " bytes");
            body = null;
        } else if (headerFilled > 0) {
            handler.onMalformed("", "truncated frame: the stream ended after " + headerFilled + " of 4 length bytes");
            headerFilled = 0;
        }
        handler.onInputEnded().whenComplete((ignored, error) -> stream.close());
    }
}
