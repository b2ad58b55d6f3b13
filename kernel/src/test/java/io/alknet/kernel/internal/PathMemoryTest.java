package io.alknet.kernel.internal;

import io.alknet.api.transport.TransportAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The file of race winners: per server and network, only paths still given, bounded, unreadable means unknown. */
class PathMemoryTest {

    @TempDir
    Path dir;

    private final TransportAddress tcp = TransportAddress.of("tcp", "example.com", 22);
    private final TransportAddress tls = TransportAddress.of("tls", "example.com", 443);
    private final List<TransportAddress> paths = List.of(tcp, tls);

    @Test
    void rememberedPerServerAndNetworkAcrossInstances() {
        new PathMemory(dir).remember("tcp://example.com:22", "home", tls);
        PathMemory later = new PathMemory(dir);
        assertThat(later.winner("tcp://example.com:22", "home", paths)).contains(tls);
        assertThat(later.winner("tcp://example.com:22", "office", paths)).isEmpty();
        assertThat(later.winner("tcp://other.example:22", "home", paths)).isEmpty();
    }

    @Test
    void aWinnerNoLongerGivenIsIgnored() {
        PathMemory memory = new PathMemory(dir);
        memory.remember("tcp://example.com:22", "home", tls);
        assertThat(memory.winner("tcp://example.com:22", "home", List.of(tcp))).isEmpty();
    }

    @Test
    void theNewestWinnerReplacesTheOldAndTheFileStaysBounded() throws Exception {
        PathMemory memory = new PathMemory(dir);
        memory.remember("s", "home", tls);
        memory.remember("s", "home", tcp);
        assertThat(memory.winner("s", "home", paths)).contains(tcp);
        for (int i = 0; i < PathMemory.KEPT + 10; i++) {
            memory.remember("server-" + i, "home", tls);
        }
        assertThat(Files.readAllLines(dir.resolve("paths"))).hasSize(PathMemory.KEPT);
        assertThat(memory.winner("server-" + (PathMemory.KEPT + 9), "home", paths)).contains(tls);
        assertThat(memory.winner("server-0", "home", paths)).isEmpty();
    }

    @Test
    void anUnreadableFileOnlyCostsThePreference() throws Exception {
        Files.writeString(dir.resolve("paths"), "garbage without tabs\n\u0000\u0001\n");
        PathMemory memory = new PathMemory(dir);
        assertThat(memory.winner("s", "home", paths)).isEmpty();
        memory.remember("s", "home", tls);
        assertThat(memory.winner("s", "home", paths)).contains(tls);
    }

    @Test
    void aNetworkIsNamedByItsMaskedAddressesInAnyOrder() {
        assertThat(PathMemory.masked(new byte[] {(byte) 192, (byte) 168, 1, 77}, 24)).isEqualTo("c0a80100/24");
        assertThat(PathMemory.masked(new byte[] {10, 1, 2, 3}, 8)).isEqualTo("0a000000/8");
        assertThat(PathMemory.network(List.of("c0a80100/24", "0a000000/8")))
                .isEqualTo(PathMemory.network(Set.of("0a000000/8", "c0a80100/24")))
                .isNotEqualTo(PathMemory.network(List.of("c0a80100/24")))
                .hasSize(16);
        assertThat(PathMemory.currentNetwork()).hasSize(16);
    }
}
