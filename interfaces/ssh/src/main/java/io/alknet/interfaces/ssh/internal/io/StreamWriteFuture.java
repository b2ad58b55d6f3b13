package io.alknet.interfaces.ssh.internal.io;

import org.apache.sshd.common.io.AbstractIoWriteFuture;

/**
 * The future of one packet written to a transport stream. It must be one of MINA's own future classes:
 * {@code AbstractSession.writePacket(buffer, timeout)} (used for every SSH_MSG_CHANNEL_CLOSE) casts a
 * pending write future to {@code DefaultSshFuture} to arm its timeout.
 */
final class StreamWriteFuture extends AbstractIoWriteFuture {

    StreamWriteFuture(Object id) {
        super(id, null);
    }

    /** Completes the future (once) and notifies its listeners on the calling thread. */
    void complete(Throwable error) {
        setValue(error == null ? Boolean.TRUE : error);
    }
}
