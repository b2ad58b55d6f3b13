package io.alknet.interfaces.ssh.internal.server;

import io.alknet.interfaces.ssh.internal.io.StreamAcceptor;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;

/**
 * MINA's server without a listening socket: the kernel owns the transport listeners and hands each
 * accepted stream to the {@link StreamAcceptor} this server returns from {@link #startOnStreams()}.
 */
final class StreamSshServer extends SshServer {

    StreamAcceptor startOnStreams() {
        checkConfig();
        if (getSessionFactory() == null) {
            setSessionFactory(createSessionFactory());
        }
        acceptor = createAcceptor();
        setupSessionTimeout(getSessionFactory());
        return (StreamAcceptor) acceptor;
    }

    /**
     * Sessions that report a refused identification line (MINA closes those before any listener hears of it) and
     * that disconnect at once on a bad packet length.
     */
    @Override
    protected SessionFactory createSessionFactory() {
        return new SessionFactory(this) {
            @Override
            protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
                return new ServerSessionImpl(getServer(), ioSession) {
                    @Override
                    protected boolean readIdentification(Buffer buffer) throws Exception {
                        try {
                            return super.readIdentification(buffer);
                        } catch (Exception refused) {
                            ProtocolErrors.INSTANCE.sessionException(this, refused);
                            throw refused;
                        }
                    }

                    @Override
                    protected void decode() throws Exception {
                        super.decode();
                        SshException badLength = discarding;
                        if (badLength != null) {
                            // MINA reads a random number of further blocks before it disconnects on a bad packet
                            // length (a defence against CBC padding oracles); alknet offers no CBC cipher, so it
                            // disconnects at once, as OpenSSH does for every other cipher
                            throw badLength;
                        }
                    }
                };
            }
        };
    }
}
