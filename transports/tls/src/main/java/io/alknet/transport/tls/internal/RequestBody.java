package io.alknet.transport.tls.internal;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;

/**
 * The body of one request as it arrives, framed by {@code Content-Length} or chunked, consumed from the connection's
 * input: kept (for the HTTP gateway, up to a limit) or dropped (the decoy answers without reading it, as nginx does,
 * but must read past it to the next request). Chunked framing is read by hand, leniently like nginx: a chunk size in
 * hex, extensions and trailers skipped.
 */
final class RequestBody {

    enum Progress { MORE, DONE, MALFORMED, TOO_LARGE }

    private enum Chunked { SIZE, EXTENSION, DATA, DATA_END, TRAILER, TRAILER_LINE }

    private final boolean chunked;
    private final long limit;
    private final ByteArrayOutputStream kept;
    private long remaining;
    private long received;
    private Chunked state = Chunked.SIZE;
    private boolean sizeSeen;

    private RequestBody(boolean chunked, long contentLength, boolean keep, long limit) {
        this.chunked = chunked;
        this.remaining = chunked ? 0 : Math.max(0, contentLength);
        this.limit = limit;
        this.kept = keep ? new ByteArrayOutputStream() : null;
    }

    /** The body of {@code request}, to be dropped. */
    static RequestBody dropped(NginxRequest request) {
        return new RequestBody(request.chunked(), request.contentLength(), false, Long.MAX_VALUE);
    }

    /** A body of {@code contentLength} bytes, to be dropped. */
    static RequestBody dropped(long contentLength) {
        return new RequestBody(false, contentLength, false, Long.MAX_VALUE);
    }

    /** The body of {@code request}, to be kept; more than {@code limit} bytes is {@link Progress#TOO_LARGE}. */
    static RequestBody kept(NginxRequest request, long limit) {
        return new RequestBody(request.chunked(), request.contentLength(), true, limit);
    }

    /** Whether there is no body at all (only meaningful before anything was consumed). */
    boolean isEmpty() {
        return !chunked && remaining == 0;
    }

    byte[] bytes() {
        return kept == null ? new byte[0] : kept.toByteArray();
    }

    /** Takes what belongs to the body from {@code in}, and no more. */
    Progress consume(ByteBuf in) {
        return chunked ? chunks(in) : data(in, true);
    }

    /** {@code remaining} bytes of data; {@code last}: they end the body. */
    private Progress data(ByteBuf in, boolean last) {
        int n = (int) Math.min(remaining, in.readableBytes());
        received += n;
        if (received > limit) {
            return Progress.TOO_LARGE;
        }
        if (kept != null) {
            byte[] data = new byte[n];
            in.readBytes(data);
            kept.writeBytes(data);
        } else {
            in.skipBytes(n);
        }
        remaining -= n;
        return remaining == 0 && last ? Progress.DONE : Progress.MORE;
    }

    private Progress chunks(ByteBuf in) {
        while (in.isReadable()) {
            switch (state) {
                case SIZE -> {
                    int digit = Character.digit(in.getByte(in.readerIndex()), 16);
                    if (digit >= 0) {
                        in.skipBytes(1);
                        if (remaining > (Long.MAX_VALUE >> 4)) {
                            return Progress.MALFORMED;
                        }
                        remaining = (remaining << 4) + digit;
                        sizeSeen = true;
                    } else if (!sizeSeen) {
                        return Progress.MALFORMED;
                    } else {
                        state = Chunked.EXTENSION;
                    }
                }
                case EXTENSION -> {
                    if (in.readByte() == '\n') {
                        state = remaining == 0 ? Chunked.TRAILER : Chunked.DATA;
                    }
                }
                case DATA -> {
                    Progress progress = data(in, false);
                    if (progress == Progress.TOO_LARGE) {
                        return progress;
                    }
                    if (remaining == 0) {
                        state = Chunked.DATA_END;
                    }
                }
                case DATA_END -> {
                    byte next = in.readByte();
                    if (next == '\n') {
                        state = Chunked.SIZE;
                        sizeSeen = false;
                    } else if (next != '\r') {
                        return Progress.MALFORMED;
                    }
                }
                case TRAILER -> {
                    byte next = in.readByte();
                    if (next == '\n') {
                        return Progress.DONE;
                    }
                    if (next != '\r') {
                        state = Chunked.TRAILER_LINE;
                    }
                }
                case TRAILER_LINE -> {
                    if (in.readByte() == '\n') {
                        state = Chunked.TRAILER;
                    }
                }
            }
        }
        return Progress.MORE;
    }
}
