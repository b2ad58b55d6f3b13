package io.alknet.integration;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ServerOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/** Keys, files and a started server for end-to-end tests. */
final class Fixture {

    final Path dir;
    final Path hostKey;
    final Path clientKey;
    final Path authorizedKeys;
    final KeyPair host;
    final KeyPair client;

    Fixture(Path dir) throws IOException {
        this.dir = dir;
        hostKey = dir.resolve("host_key");
        clientKey = dir.resolve("client_key");
        authorizedKeys = dir.resolve("authorized_keys");
        host = OpenSshKeys.generate(hostKey, "host");
        client = OpenSshKeys.generate(clientKey, "alice");
        Files.writeString(authorizedKeys, OpenSshKeys.publicKeyLine(client.getPublic(), "alice") + "\n");
    }

    ServerOptions.Builder server() {
        return BuiltIns.server()
                .listen(BuiltIns.ssh("tcp://127.0.0.1:0"))
                .setting(BuiltIns.HOST_KEY, hostKey)
                .setting(BuiltIns.AUTHORIZED_KEYS, authorizedKeys)
                .stateDirectory(dir.resolve("state"));
    }

    ClientOptions.Builder client(AlknetServer server) {
        return client(server.listenAddresses().getFirst());
    }

    /** A client of this fixture's server that dials {@code address} (a relay or another path in front of it). */
    ClientOptions.Builder client(TransportAddress address) {
        return BuiltIns.client(address)
                .identity(clientKey)
                .user("alice")
                .stateDirectory(dir.resolve("client-state"))
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(host.getPublic()))));
    }
}
