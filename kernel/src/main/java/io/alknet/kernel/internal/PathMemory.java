package io.alknet.kernel.internal;

import io.alknet.api.transport.TransportAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which path won the last race to a server, per network, kept across restarts in {@code STATE-DIR/paths}: a client
 * that moves between networks (home, office, a train) starts each race with what won on the network it is on now,
 * so a network that black-holes one way in costs the 250 ms stagger only once. The file holds one tab-separated line
 * per server and network ({@code SERVER NETWORK WINNER}), the newest last, at most {@link #KEPT} lines; a file that
 * cannot be read or written only costs that preference (it is logged at DEBUG). Destinations of tunnels never go in.
 *
 * <p>A network is named by a hash of the local networks this machine is attached to (each interface's address,
 * masked to its prefix; loopback and link-local addresses left out): joining another network changes it, a new DHCP
 * lease in the same one does not.
 */
final class PathMemory {

    static final int KEPT = 64;
    private static final Logger LOG = LoggerFactory.getLogger("alknet.client");

    private final Path file;

    PathMemory(Path stateDirectory) {
        this.file = stateDirectory.resolve("paths");
    }

    /** What won last for {@code server} on {@code network}, if it is still one of {@code paths}. */
    synchronized Optional<TransportAddress> winner(String server, String network, List<TransportAddress> paths) {
        String won = read().get(key(server, network));
        return paths.stream().filter(path -> path.toString().equals(won)).findFirst();
    }

    /** Remembers {@code winner} for {@code server} on {@code network}. */
    synchronized void remember(String server, String network, TransportAddress winner) {
        Map<String, String> entries = read();
        String key = key(server, network);
        if (winner.toString().equals(entries.get(key))) {
            return;
        }
        entries.remove(key);
        entries.put(key, winner.toString());
        List<String> lines = new ArrayList<>();
        entries.forEach((k, v) -> lines.add(k + "\t" + v));
        List<String> kept = lines.subList(Math.max(0, lines.size() - KEPT), lines.size());
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, kept, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("client.path.memory unwritable file={} reason={}", file, e.toString());
        }
    }

    private static String key(String server, String network) {
        return server.replace('\t', ' ') + "\t" + network;
    }

    /** Entries in file order (oldest first); the key is {@code SERVER\tNETWORK}. */
    private Map<String, String> read() {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t");
                if (fields.length == 3) {
                    entries.put(fields[0] + "\t" + fields[1], fields[2]);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing won yet
        } catch (IOException | RuntimeException e) {
            LOG.debug("client.path.memory unreadable file={} reason={}", file, e.toString());
        }
        return entries;
    }

    /** The network this machine is on now, as a short hash (see the class comment). */
    static String currentNetwork() {
        TreeSet<String> networks = new TreeSet<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    InetAddress ip = address.getAddress();
                    if (ip.isLoopbackAddress() || ip.isLinkLocalAddress()) {
                        continue;
                    }
                    networks.add(masked(ip.getAddress(), address.getNetworkPrefixLength()));
                }
            }
        } catch (SocketException e) {
            LOG.debug("client.path.memory no network list reason={}", e.toString());
        }
        return network(networks);
    }

    /** The name of a set of networks (each {@code ADDRESS/PREFIX}, masked). */
    static String network(java.util.Collection<String> networks) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String network : new TreeSet<>(networks)) {
                sha.update(network.getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code bytes} with every bit past {@code prefix} cleared, as hex, then {@code /prefix}. */
    static String masked(byte[] bytes, int prefix) {
        byte[] network = bytes.clone();
        for (int bit = Math.max(0, prefix); bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return HexFormat.of().formatHex(network) + "/" + prefix;
    }
}
