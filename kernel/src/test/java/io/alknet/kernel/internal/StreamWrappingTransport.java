package io.alknet.kernel.internal;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;

import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/** A transport whose every stream, dialled or accepted, is wrapped by {@code wrap}: to run a contract over a wrapper. */
record StreamWrappingTransport(Transport transport, UnaryOperator<TransportStream> wrap) implements Transport {

    @Override
    public String scheme() {
        return transport.scheme();
    }

    @Override
    public SecurityLevel security() {
        return transport.security();
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        return transport.connect(address).thenApply(wrap);
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        return transport.listen(address).thenApply(listener -> new Listener() {
            @Override
            public TransportAddress address() {
                return listener.address();
            }

            @Override
            public CompletionStage<TransportStream> accept() {
                return listener.accept().thenApply(wrap);
            }

            @Override
            public void close() {
                listener.close();
            }
        });
    }

    @Override
    public void close() {
        transport.close();
    }
}
