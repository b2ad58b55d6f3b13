package io.alknet.integration;

import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.interfaces.ssh.OpenSshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Why a client refuses a server's host key, said as OpenSSH says it (sshconnect.c): an unknown key may be
 * verified and then pinned, but a key that differs from the known or pinned one ("remote host
 * identification has changed") or one marked {@code @revoked} must never be offered for pinning.
 */
class HostKeyRefusalTest {

    @TempDir
    Path dir;

    private Fixture fixture;
    private String presented;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        presented = OpenSshKeys.fingerprint(fixture.host.getPublic());
    }

    @Test
    void aChangedKeyInKnownHostsIsHostKeyChangedAndNeverOfferedForPinning() throws Exception {
        KeyPair other = OpenSshKeys.generate(dir.resolve("other_host_key"), "other");
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            Path knownHosts = knownHosts(server, OpenSshKeys.publicKeyLine(other.getPublic(), ""));
            assertThatThrownBy(() -> Alknet.client(client(server, new HostKeyVerification.KnownHosts(knownHosts))))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.HOST_KEY_REJECTED))
                    .hasMessageStartingWith("HOST KEY CHANGED (remote host identification has changed)")
                    .hasMessageContaining("presented host key " + presented)
                    .hasMessageContaining(knownHosts + " lists another key for this host")
                    .hasMessageContaining("man-in-the-middle")
                    .hasMessageContaining("do not pin the presented key")
                    .hasMessageNotContaining("not listed")
                    .hasMessageNotContaining("--host-key-fingerprint " + presented);
        }
    }

    @Test
    void aRevokedKeyIsRevokedAndNeverOfferedForPinning() throws Exception {
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            Path knownHosts = knownHosts(server, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            Files.writeString(knownHosts, "@revoked " + Files.readString(knownHosts));
            assertThatThrownBy(() -> Alknet.client(client(server, new HostKeyVerification.KnownHosts(knownHosts))))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.HOST_KEY_REJECTED))
                    .hasMessageStartingWith("REVOKED HOST KEY DETECTED")
                    .hasMessageContaining("presented host key " + presented + ", which " + knownHosts + " marks @revoked")
                    .hasMessageContaining("impersonate")
                    .hasMessageNotContaining("not listed")
                    .hasMessageNotContaining("--host-key-fingerprint");
        }
    }

    @Test
    void aPinThatDoesNotMatchIsAMismatchAndThePresentedKeyIsNotSuggested() throws Exception {
        String pin = OpenSshKeys.fingerprint(OpenSshKeys.generate(dir.resolve("pinned_key"), "pinned").getPublic());
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            assertThatThrownBy(() -> Alknet.client(client(server, new HostKeyVerification.Pinned(List.of(pin)))))
                    .isInstanceOf(AlknetException.class)
                    .hasMessageStartingWith("HOST KEY MISMATCH")
                    .hasMessageContaining("presented host key " + presented + ", but --host-key-fingerprint " + pin + " expects another")
                    .hasMessageContaining("do not pin the presented key")
                    .hasMessageNotContaining("--host-key-fingerprint " + presented);
        }
    }

    /** The one case where pinning what was presented is the advice: nothing is known about this host. */
    @Test
    void anUnknownHostIsNotListedAndMayBeVerifiedThenPinned() throws Exception {
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            Path knownHosts = dir.resolve("known_hosts-empty");
            Files.writeString(knownHosts, "[127.0.0.1]:1 " + OpenSshKeys.publicKeyLine(fixture.host.getPublic(), "") + "\n");
            assertThatThrownBy(() -> Alknet.client(client(server, new HostKeyVerification.KnownHosts(knownHosts))))
                    .isInstanceOf(AlknetException.class)
                    .hasMessageContaining("presented host key " + presented + " and it is not listed for this host in " + knownHosts)
                    .hasMessageContaining("verify the fingerprint with the server's operator")
                    .hasMessageContaining("--host-key-fingerprint " + presented);
        }
    }

    private Path knownHosts(AlknetServer server, String keyLine) throws Exception {
        return OpenSsh.knownHosts(dir, server.listenAddresses().getFirst().port(), keyLine);
    }

    private ClientOptions client(AlknetServer server, HostKeyVerification verification) {
        return fixture.client(server).hostKeys(verification).reconnect(ReconnectPolicy.NEVER).build();
    }
}
