package io.alknet.kernel;

import io.alknet.api.transport.TransportAddress;

import java.util.Objects;

/**
 * One server listener: a transport address and the stream interface that serves its connections.
 *
 * @param address   where to listen, e.g. {@code tcp://127.0.0.1:2222}
 * @param streamInterface the interface name, e.g. {@code ssh}
 */
public record ListenerSpec(TransportAddress address, String streamInterface) {

    public ListenerSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(streamInterface, "streamInterface");
    }

    /** Parses {@code scheme://host:port} served by SSH. */
    public static ListenerSpec ssh(String uri) {
        return new ListenerSpec(TransportAddress.parse(uri, 2222), "ssh");
    }
}
