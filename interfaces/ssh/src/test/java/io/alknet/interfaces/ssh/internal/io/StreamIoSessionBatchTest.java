package io.alknet.interfaces.ssh.internal.io;

import io.alknet.testkit.RecordingStream;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packet batch of {@link StreamIoSession} (pure logic, over a recording stream): what a batch writes
 * reaches the transport as one write, in order, and nothing written meanwhile overtakes it.
 */
class StreamIoSessionBatchTest {

    @Test
    void packetsWrittenInABatchGoOutAsOneWriteInOrder() throws Exception {
        RecordingStream stream = new RecordingStream();
        StreamIoSession session = session(stream);
        session.writeBuffer(packet("before"));
        List<IoWriteFuture> futures = new ArrayList<>();
        session.batch(() -> {
            futures.add(session.writeBuffer(packet("eof")));
            // as MINA does: the CLOSE follows once the EOF counts as written
            futures.getFirst().addListener(written -> futures.add(session.writeBuffer(packet("close"))));
            assertThat(writes(stream)).as("nothing leaves during the batch").containsExactly("before");
            return null;
        });
        session.writeBuffer(packet("after"));

        assertThat(writes(stream)).containsExactly("before", "eofclose", "after");
        assertThat(futures).hasSize(2).allSatisfy(future -> assertThat(future.isWritten()).isTrue());
    }

    @Test
    void batchesNestAndAnEmptyBatchWritesNothing() throws Exception {
        RecordingStream stream = new RecordingStream();
        StreamIoSession session = session(stream);
        session.batch(() -> null);
        session.batch(() -> {
            ByteArrayBuffer a = packet("a");
            write(session, a);
            a.array()[0] = 'X'; // MINA may reuse a buffer once its write counts as done: the batch copied it
            session.batch(() -> write(session, "b"));
            return write(session, "c");
        });
        assertThat(writes(stream)).containsExactly("abc");
    }

    @Test
    void aPacketFromAnotherThreadJoinsTheBatchAndCountsAsWrittenWithIt() throws Exception {
        RecordingStream stream = new RecordingStream();
        StreamIoSession session = session(stream);
        AtomicReference<IoWriteFuture> other = new AtomicReference<>();
        session.batch(() -> {
            write(session, "first");
            Thread writer = Thread.ofPlatform().start(() -> other.set(write(session, "other")));
            join(writer);
            assertThat(other.get().isDone()).as("another thread's packet waits for the batch's write").isFalse();
            return write(session, "second");
        });
        assertThat(writes(stream)).containsExactly("firstothersecond");
        assertThat(other.get().isWritten()).isTrue();
    }

    @Test
    void theBatchIsHandedOverWithoutHoldingTheWriteLock() throws Exception {
        // MINA writes holding its encode lock, and a completed write runs MINA listeners that take it: a
        // hand-over holding the write lock would deadlock with a writer waiting for it. Here the transport's
        // write waits for another thread's packet, as such a listener would.
        RecordingStream stream = new RecordingStream();
        StreamIoSession session = session(stream);
        AtomicReference<IoWriteFuture> other = new AtomicReference<>();
        stream.onWrite(bytes -> {
            if (other.get() == null) {
                Thread writer = Thread.ofPlatform().start(() -> other.set(write(session, "other")));
                join(writer);
            }
        });
        session.batch(() -> {
            write(session, "eof");
            return write(session, "close");
        });
        assertThat(writes(stream)).containsExactly("eofclose", "other");
        assertThat(other.get().isWritten()).isTrue();
    }

    private static void join(Thread writer) {
        try {
            assertThat(writer.join(Duration.ofSeconds(10))).as("the other writer was not blocked").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aBatchWhoseWriteFailsClosesTheSession() throws Exception {
        RecordingStream stream = new RecordingStream();
        stream.failWrites();
        AtomicReference<Throwable> exceptionSeen = new AtomicReference<>();
        StreamIoSession session = session(stream, exceptionSeen);
        IoWriteFuture eof = session.batch(() -> write(session, "eof"));
        assertThat(eof.isWritten()).as("counted as written when queued").isTrue();
        assertThat(session.isClosing()).as("but the failed write ended the session").isTrue();
        assertThat(exceptionSeen.get()).isInstanceOf(IOException.class);
    }

    private static IoWriteFuture write(StreamIoSession session, String text) {
        return write(session, packet(text));
    }

    private static IoWriteFuture write(StreamIoSession session, ByteArrayBuffer packet) {
        return session.writeBuffer(packet);
    }

    private static ByteArrayBuffer packet(String text) {
        return new ByteArrayBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static StreamIoSession session(RecordingStream stream) throws Exception {
        return session(stream, new AtomicReference<>());
    }

    private static StreamIoSession session(RecordingStream stream, AtomicReference<Throwable> exceptionSeen) throws Exception {
        StreamConnector connector = new StreamConnector(new IoHandler() {
            @Override
            public void sessionCreated(IoSession session) {
            }

            @Override
            public void sessionClosed(IoSession session) {
            }

            @Override
            public void exceptionCaught(IoSession session, Throwable cause) {
                exceptionSeen.set(cause);
            }

            @Override
            public void messageReceived(IoSession session, Readable message) {
            }
        });
        StreamIoSession session = connector.newSession(stream, null);
        session.begin();
        return session;
    }

    /** Each write the stream recorded, as text. */
    private static List<String> writes(RecordingStream stream) {
        return stream.writes().stream().map(bytes -> new String(bytes, StandardCharsets.US_ASCII)).toList();
    }
}
