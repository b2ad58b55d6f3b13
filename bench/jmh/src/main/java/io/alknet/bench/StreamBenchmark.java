package io.alknet.bench;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.NettyTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;

/**
 * The stream machine's own cost on the hot path, without sockets (an embedded channel): a read handed to the
 * handler, and a whole connection's life (attach, start, one write, a close). Run with {@code -prof gc} for the
 * bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamBenchmark {

    private static final PeerInfo PEER = PeerInfo.socket("bench", SecurityLevel.UNPROTECTED, null, null);

    @Param({"16384"})
    public int size;

    private EmbeddedChannel readChannel;
    private long consumed;
    private byte[] payload;

    private final StreamHandler sink = new StreamHandler() {
        @Override
        public void onData(ByteBuffer data) {
            consumed += data.remaining();
            data.position(data.limit());
        }

        @Override
        public void onClosed(Throwable error) {
        }
    };

    @Setup
    public void setUp() {
        payload = new byte[size];
        readChannel = new EmbeddedChannel();
        NettyTransportStream.attach(readChannel, PEER).start(sink);
        readChannel.runPendingTasks();
    }

    @TearDown
    public void tearDown() {
        readChannel.finishAndReleaseAll();
    }

    /** One read: pipeline, stream, handler, release. */
    @Benchmark
    public long read() {
        ByteBuf in = ByteBufAllocator.DEFAULT.directBuffer(size);
        in.writerIndex(size);
        readChannel.writeInbound(in);
        return consumed;
    }

    /** A connection's life: attach, start, one write (copied) flushed, a close after it. */
    @Benchmark
    public int connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        NettyTransportStream stream = NettyTransportStream.attach(channel, PEER);
        stream.start(sink);
        stream.writeCopy(ByteBuffer.wrap(payload));
        stream.close();
        channel.runPendingTasks();
        ByteBuf written = channel.readOutbound();
        int readable = written == null ? -1 : written.readableBytes();
        if (written != null) {
            written.release();
        }
        channel.finishAndReleaseAll();
        return readable;
    }
}
