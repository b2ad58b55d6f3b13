package io.alknet.bench;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.NettyTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
 * The hand-over from MINA's heap packet to the socket. alknet copies each sealed packet once into a
 * pooled direct buffer ({@code TransportStream.writeCopy}); the alternatives are a fresh (unpooled)
 * direct buffer per packet, or handing Netty the heap array, which then copies it into a direct buffer
 * itself at flush time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CopyBenchmark {

    @Param({"32832"})
    public int size;

    private byte[] packet;
    private EmbeddedChannel channel;
    private NettyTransportStream stream;

    @Setup
    public void setUp() {
        packet = new byte[size];
        channel = new EmbeddedChannel();
        stream = NettyTransportStream.attach(channel, PeerInfo.socket("bench", SecurityLevel.UNPROTECTED, null, null));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int pooledDirectCopy() {
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(size);
        direct.writeBytes(packet);
        int readable = direct.readableBytes();
        direct.release();
        return readable;
    }

    @Benchmark
    public int unpooledDirectCopy() {
        ByteBuf direct = Unpooled.directBuffer(size);
        direct.writeBytes(packet);
        int readable = direct.readableBytes();
        direct.release();
        return readable;
    }

    /** The whole alknet write path up to the channel: queue, copy, write, flush (to an embedded channel). */
    @Benchmark
    public int transportStreamWriteCopy() {
        stream.writeCopy(ByteBuffer.wrap(packet));
        ByteBuf written = channel.readOutbound();
        int readable = written.readableBytes();
        written.release();
        return readable;
    }
}
