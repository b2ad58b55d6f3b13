package io.alknet.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real OpenSSH client for CLI tests: its command line, ignoring every user and system configuration, and its -L forwards. */
final class OpenSshClient {

    private OpenSshClient() {
    }

    /** {@code ssh} with only {@code identity}, trusting only {@code knownHosts}; append the options and destination. */
    static List<String> command(Path identity, Path knownHosts, int port) {
        return new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "-i", identity.toString(),
                "-p", Integer.toString(port)));
    }

    /** Waits until ssh's -L forward on {@code port} accepts connections. */
    static void awaitListening(int port, Process ssh) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!ssh.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("ssh's -L " + port + " never listened", notYet);
                }
                Thread.sleep(50);
            }
        }
    }
}
