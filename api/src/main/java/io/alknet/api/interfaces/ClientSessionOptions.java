package io.alknet.api.interfaces;

import io.alknet.api.transport.TransportAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the client half of a stream interface needs to establish a session.
 *
 * @param server            the address dialled, for host-key lookup and messages
 * @param user              the user name to log in as
 * @param identityFiles     private key files (OpenSSH format) to authenticate with, tried in order
 * @param hostKeys          how to verify the server
 * @param keepAliveInterval interval of keepalive probes; {@link Duration#ZERO} disables them
 */
public record ClientSessionOptions(
        TransportAddress server, String user, List<Path> identityFiles, HostKeyVerification hostKeys,
        Duration keepAliveInterval) {

    public ClientSessionOptions {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        identityFiles = List.copyOf(identityFiles);
        Objects.requireNonNull(hostKeys, "hostKeys");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    }
}
