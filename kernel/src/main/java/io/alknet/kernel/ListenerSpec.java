package io.alknet.kernel;

import io.alknet.api.transport.TransportAddress;

import java.util.Objects;

/**
 * One server listener: a transport address and the stream interface that serves its connections.
 *
 * @param address         where to listen, e.g. {@code tcp://127.0.0.1:2222}
 * @param streamInterface the name of the stream interface serving it
 */
public record ListenerSpec(TransportAddress address, String streamInterface) {

    public ListenerSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(streamInterface, "streamInterface");
    }

    /** Parses {@code scheme://host:port} (a missing port binds any free one) served by {@code streamInterface}. */
    public static ListenerSpec parse(String uri, String streamInterface) {
        return new ListenerSpec(TransportAddress.parse(uri, 0), streamInterface);
    }
}
