package io.alknet.netty;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One event loop group shared by every Netty-based plugin in this class loader, reference counted:
 * the first {@link #acquire()} creates it, the last {@link Lease#close()} shuts it down. Uses NIO, or
 * epoll when asked for (see {@link #nativeTransport()}).
 *
 * <p>Threading: thread-safe.
 */
public final class EventLoops {

    private static final Object LOCK = new Object();
    private static EventLoopGroup group;
    private static int references;

    private EventLoops() {
    }

    /** A reference to the shared group; close it exactly once. */
    public static Lease acquire() {
        synchronized (LOCK) {
            if (group == null) {
                IoHandlerFactory handlers = nativeTransport() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
                group = new MultiThreadIoEventLoopGroup(Integer.getInteger("alknet.netty.threads", 0), new DefaultThreadFactory("alknet-io", true), handlers);
            }
            references++;
            return new Lease(group);
        }
    }

    /**
     * True when the epoll transport is in use. It is opt-in ({@code -Dalknet.netty.native=true}): Netty
     * 4.2's epoll registration drops a socket from the epoll set when its interest mask becomes empty
     * (auto-read paused, nothing to write) and a later resume then fails with {@code epoll_ctl ENOENT},
     * closing the connection. NIO (itself epoll-based in the JDK) has no such problem.
     */
    public static boolean nativeTransport() {
        return "true".equals(System.getProperty("alknet.netty.native")) && Epoll.isAvailable();
    }

    private static void release() {
        EventLoopGroup toShutDown = null;
        synchronized (LOCK) {
            references--;
            if (references == 0) {
                toShutDown = group;
                group = null;
            }
        }
        if (toShutDown != null) {
            toShutDown.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** A counted reference to the shared event loop group. */
    public static final class Lease implements AutoCloseable {
        private final EventLoopGroup group;
        private boolean closed;

        private Lease(EventLoopGroup group) {
            this.group = group;
        }

        public EventLoopGroup group() {
            return group;
        }

        /** Makes client sockets; a constructor reference, not Netty's reflective factory (one per connect). */
        public ChannelFactory<SocketChannel> socketChannel() {
            return nativeTransport() ? EpollSocketChannel::new : QuietNioSocketChannel::new;
        }

        public Class<? extends ServerChannel> serverSocketChannel() {
            return nativeTransport() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        }

        /** A grace period short enough for tests, long enough to flush. */
        public static Duration shutdownGrace() {
            return Duration.ofSeconds(2);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release();
        }
    }
}
