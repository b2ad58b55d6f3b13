package io.alknet.api.interfaces;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a client decides whether the server's host key is the right one. There is deliberately no
 * trust-on-first-use.
 */
public sealed interface HostKeyVerification {

    /** Accept only keys whose {@code SHA256:…} fingerprint is listed. */
    record Pinned(List<String> fingerprints) implements HostKeyVerification {
        public Pinned {
            fingerprints = List.copyOf(fingerprints);
            if (fingerprints.isEmpty()) {
                throw new IllegalArgumentException("at least one fingerprint is required");
            }
        }
    }

    /** Accept keys listed for the server's host and port in an OpenSSH {@code known_hosts} file. */
    record KnownHosts(Path file) implements HostKeyVerification {
        public KnownHosts {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Accept any key, loudly. Only for tests and first contact with an explicit flag. */
    record AcceptAny() implements HostKeyVerification {
    }
}
