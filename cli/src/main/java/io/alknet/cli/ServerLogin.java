package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a client command reaches and logs in to a server: address, key, host key check (connect, call, ops). */
final class ServerLogin {

    @Option(names = "--server", paramLabel = "ADDRESS", description = "Same as ADDRESS, e.g. --server tcp://example.com:2222.")
    String server;

    @Option(names = "--transport", paramLabel = "NAME",
            description = "Transport when ADDRESS has no scheme: tcp (default), tls or iroh, e.g. --transport iroh.")
    String transport;

    @Option(names = "--peer", paramLabel = "ENDPOINT_ID",
            description = "The iroh endpoint id to dial (implies --transport iroh); the same as ADDRESS iroh://ENDPOINT_ID, "
                    + "e.g. --peer 97e9302f9d7be4e270818fb182d821f8d68a01d29bd1e121d2f560366bec0800.")
    String peer;

    @Option(names = "--iroh-relay", paramLabel = "URL|none",
            description = "For iroh: the relay to use instead of n0's public relays, or 'none' to dial direct addresses only "
                    + "(give them as iroh://ID?addr=IP:PORT, as alknet serve prints), e.g. --iroh-relay https://relay.example.com/.")
    String irohRelay;

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE",
            description = "Private key to log in with (OpenSSH format; create one with 'alknet keygen'). Default: $ALKNET_IDENTITY. "
                    + "Repeatable, e.g. -i ~/.alknet/id_ed25519.")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--user", paramLabel = "NAME", description = "User name to log in as (default: $USER), e.g. --user deploy.")
    String user;

    @Option(names = "--host-key-fingerprint", paramLabel = "SHA256:...", split = ",",
            description = "Accept only a server host key with this fingerprint (repeatable), "
                    + "e.g. --host-key-fingerprint SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8.")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Accept server host keys listed in this OpenSSH known_hosts file, e.g. --known-hosts ~/.ssh/known_hosts.")
    Path knownHosts;

    @Option(names = "--insecure-accept-host-key",
            description = "Accept ANY server host key. Only for tests: it lets a man in the middle read everything. "
                    + "e.g. --insecure-accept-host-key on a throw-away test server.")
    boolean insecure;

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256:...", split = ",",
            description = "For tls:// servers: accept only this certificate (as alknet serve prints it, or openssl's hex), "
                    + "e.g. --tls-fingerprint SHA256:q1w2... Default: verify by the system trust store.")
    List<String> tlsFingerprints = new ArrayList<>();

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "For tls:// servers: trust this PEM CA instead of the system store, e.g. --tls-ca ca.pem.")
    Path tlsCa;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "For tls:// servers: the name to send (SNI) and check on the certificate (default: the host of ADDRESS), "
                    + "e.g. --tls-server-name example.com.")
    String tlsServerName;

    /** Transport settings these options imply. */
    java.util.Map<String, String> transportSettings() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (!tlsFingerprints.isEmpty()) {
            settings.put("transport.tls.fingerprint", String.join(",", tlsFingerprints));
        }
        if (tlsCa != null) {
            settings.put("transport.tls.ca", tlsCa.toString());
        }
        if (tlsServerName != null) {
            settings.put("transport.tls.server-name", tlsServerName);
        }
        if (irohRelay != null) {
            settings.put("transport.iroh.relay", irohRelay);
        }
        return settings;
    }

    /** The host key fingerprint an {@code alknet://} ADDRESS carries, set by {@link #target}. */
    private Optional<String> addressFingerprint = Optional.empty();
    /** The paths after the first of an {@code alknet://} ADDRESS, set by {@link #target}. */
    private List<TransportAddress> addressAlternatives = List.of();

    /**
     * The server to reach: {@code positional} (connect's ADDRESS), else --server, else $ALKNET_SERVER. Of an
     * {@code alknet://} address ({@link MultiPathAddress}), the first path; {@link #alternatives} are the others.
     */
    TransportAddress target(String positional) {
        if (peer != null) {
            if (positional != null || server != null) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "give the server either as ADDRESS/--server or as --peer, not both");
            }
            return Addresses.parse(peer, transport == null ? "iroh" : transport, 0, "--peer");
        }
        String address = serverAddress(positional);
        if (MultiPathAddress.is(address)) {
            if (transport != null) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "an alknet:// address names each path's transport; drop --transport");
            }
            MultiPathAddress paths = MultiPathAddress.parse(address, "ADDRESS");
            addressFingerprint = paths.fingerprint();
            addressAlternatives = paths.paths().subList(1, paths.paths().size());
            return paths.paths().getFirst();
        }
        return Addresses.parse(address, transport, 22, "ADDRESS");
    }

    /** The other paths of an {@code alknet://} ADDRESS (after {@link #target}); none for any other address. */
    List<TransportAddress> alternatives() {
        return addressAlternatives;
    }

    Optional<String> user() {
        return Optional.ofNullable(user);
    }

    String serverAddress(String address) {
        String value = address != null ? address : server != null ? server : System.getenv("ALKNET_SERVER");
        if (value == null || value.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "no server address: pass ADDRESS (e.g. tcp://example.com:2222) or set ALKNET_SERVER");
        }
        return value;
    }

    List<Path> identityFiles() {
        if (!identities.isEmpty()) {
            return identities;
        }
        String env = System.getenv("ALKNET_IDENTITY");
        if (env == null || env.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "no identity key: pass -i FILE or set ALKNET_IDENTITY (create a key with: alknet keygen -f ~/.alknet/id_ed25519)");
        }
        return List.of(Path.of(env));
    }

    HostKeyVerification hostKeyVerification() {
        int chosen = (fingerprints.isEmpty() ? 0 : 1) + (knownHosts == null ? 0 : 1) + (insecure ? 1 : 0);
        if (chosen == 0 && addressFingerprint.isPresent()) {
            return new HostKeyVerification.Pinned(List.of(addressFingerprint.get())); // the alknet:// address's #SHA256:...
        }
        if (chosen == 0) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the server's host key cannot be verified: pass "
                    + "--host-key-fingerprint SHA256:... (alknet serve prints it) or --known-hosts FILE");
        }
        if (chosen > 1) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "use only one of --host-key-fingerprint, --known-hosts and --insecure-accept-host-key");
        }
        if (insecure) {
            return new HostKeyVerification.AcceptAny();
        }
        if (knownHosts != null) {
            if (!java.nio.file.Files.isRegularFile(knownHosts)) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "known_hosts file not found: " + knownHosts);
            }
            return new HostKeyVerification.KnownHosts(knownHosts);
        }
        for (String fingerprint : fingerprints) {
            if (!fingerprint.matches("(SHA256:)?[A-Za-z0-9+/]{43}=?")) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--host-key-fingerprint '" + fingerprint
                        + "' is not a SHA256 fingerprint like SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
            }
        }
        return new HostKeyVerification.Pinned(fingerprints);
    }

}
