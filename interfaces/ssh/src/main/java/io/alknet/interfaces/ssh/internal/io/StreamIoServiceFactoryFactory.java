package io.alknet.interfaces.ssh.internal.io;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.Factory;

/** Installs {@link StreamIoServiceFactory} into a MINA server or client. */
public final class StreamIoServiceFactoryFactory implements IoServiceFactoryFactory {

    @Override
    public IoServiceFactory create(FactoryManager manager) {
        return new StreamIoServiceFactory(manager);
    }

    @Override
    public void setExecutorServiceFactory(Factory<CloseableExecutorService> factory) {
        // the stream services run on the transport's threads
    }
}
