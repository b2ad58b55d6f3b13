package io.alknet.integration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real OpenSSH {@code ssh} and {@code sshd} binaries for interoperability tests. They are
 * installed by {@code ./test}; a missing binary fails the test with what to install.
 */
final class OpenSsh {

    static final Path SSH = Path.of("/usr/bin/ssh");
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private OpenSsh() {
    }

    static void requireInstalled() {
        if (!Files.isExecutable(SSH) || !Files.isExecutable(SSHD)) {
            throw new IllegalStateException("OpenSSH is not installed: apt-get install openssh-server openssh-client "
                    + "(./test installs it)");
        }
    }

    /** A known_hosts file that trusts {@code publicKeyLine} for {@code 127.0.0.1:port}. */
    static Path knownHosts(Path dir, int port, String publicKeyLine) throws IOException {
        Path file = dir.resolve("known_hosts-" + port);
        Files.writeString(file, "[127.0.0.1]:" + port + " " + publicKeyLine + "\n");
        return file;
    }

    /** Options that make {@code ssh} ignore every user and system configuration. */
    static List<String> clientBase(Path identity, Path knownHosts, int port) {
        return new ArrayList<>(List.of(SSH.toString(), "-F", "/dev/null",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=5",
                "-i", identity.toString(), "-p", Integer.toString(port)));
    }

    /** A running process with its stderr captured to a file. */
    static final class Running implements AutoCloseable {
        final Process process;
        final Path stderr;

        Running(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
        }

        String stderr() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static Running start(List<String> command, Path dir, String name) throws IOException {
        Path err = dir.resolve(name + ".stderr");
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        return new Running(process, err);
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:port, or the process died. */
    static void awaitListening(int port, Running running, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!running.process.isAlive()) {
                throw new IllegalStateException("process exited with " + running.process.exitValue() + ": " + running.stderr());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port + " after " + timeout + ": " + running.stderr());
    }

    /**
     * Starts {@code sshd} in the foreground on {@code port} with the given host key and authorized keys,
     * allowing TCP forwarding; logs go to the captured stderr.
     */
    static Running sshd(Path dir, int port, Path hostKey, Path authorizedKeys) throws Exception {
        return sshd(dir, port, hostKey, authorizedKeys, List.of());
    }

    /** {@link #sshd(Path, int, Path, Path)} with more sshd_config lines (e.g. {@code Ciphers …}). */
    static Running sshd(Path dir, int port, Path hostKey, Path authorizedKeys, List<String> moreConfig) throws Exception {
        Files.createDirectories(Path.of("/run/sshd"));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PidFile none",
                "AllowTcpForwarding yes",
                "GatewayPorts no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE",
                String.join("\n", moreConfig),
                ""));
        Running sshd = start(List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()), dir, "sshd");
        awaitListening(port, sshd, Duration.ofSeconds(10));
        return sshd;
    }
}
