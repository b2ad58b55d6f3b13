package io.alknet.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel names no transport: a server built without the tcp plugin forwards over the transport its
 * {@code server.forward-transport} names. {@link ForwardWithoutTcpScenario} runs in a JVM whose class path is this
 * module's minus alknet-transport-tcp (so {@code ServiceLoader} cannot find it), with the unix transport of
 * examples/transport-uds loaded from a plugin directory, as {@link UnixTransportExampleTest} loads it.
 */
class ForwardWithoutTcpTest {

    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "transport-uds", "target", "alknet-example-transport-uds.jar");

    @TempDir
    Path dir;

    @Test
    void aServerWithoutTheTcpPluginForwardsOverTheUnixTransport() throws Exception {
        assertThat(EXAMPLE_JAR).as("the example plugin jar (built by ./mvnw verify before this module)").exists();
        Path out = dir.resolve("scenario.out");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPathWithoutTcp(), ForwardWithoutTcpScenario.class.getName(),
                dir.resolve("run").toString(), EXAMPLE_JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the scenario finished").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        output.lines().filter(line -> line.matches("[a-zA-Z]+=.*")).forEach(line ->
                seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));

        assertThat(seen.get("transports")).as("transports the server can find").contains("unix").doesNotContain("tcp");
        assertThat(seen.get("listening")).startsWith("[unix://");
        assertThat(seen.get("echoed")).as("bytes back through -L, the tunnel and the unix forward target").isEqualTo("the same bytes");
        assertThat(seen.get("echoConnections")).as("connections the server dialled to the unix echo service").isEqualTo("1");
    }

    /** This module's test class path without the tcp plugin (its jar, or its classes directory in the reactor). */
    private static String classPathWithoutTcp() {
        List<String> kept = new ArrayList<>();
        int removed = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalized = entry.replace('\\', '/');
            if (normalized.contains("alknet-transport-tcp") || normalized.contains("/transports/tcp/")) {
                removed++;
            } else {
                kept.add(entry);
            }
        }
        assertThat(removed).as("the tcp plugin on the test class path, to leave out").isEqualTo(1);
        return String.join(File.pathSeparator, kept);
    }
}
