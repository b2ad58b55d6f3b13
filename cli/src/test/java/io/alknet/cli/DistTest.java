package io.alknet.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-contained package ({@code ./mvnw -Pdist package}, cli/src/dist/build.sh; the README's test command builds
 * it): unpacked, it runs with nothing from the machine, no JDK and an empty PATH, and its systemd unit verifies.
 */
@EnabledIfSystemProperty(named = "alknet.dist.tarball", matches = ".+")
class DistTest {

    @TempDir
    static Path dir;
    static Path root;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("alknet.dist.tarball"));
        assertThat(tarball).as("the dist profile builds the package before the tests run").exists();
        Result untar = run(List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString()), null);
        assertThat(untar.exitCode()).as(untar.output()).isZero();
        try (Stream<Path> entries = Files.list(dir)) {
            root = entries.filter(p -> p.getFileName().toString().matches("alknet-.+-linux-x64")).findFirst().orElseThrow();
        }
    }

    @Test
    void demoRunsOnThePackagesOwnRuntimeWithNoJdkAndNothingOnPath() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        // a link from elsewhere, as an operator would make one in /usr/local/bin
        Path link = Files.createSymbolicLink(dir.resolve("alknet"), root.resolve("bin/alknet"));
        Result demo = run(List.of("/bin/sh", link.toString(), "demo", "--once"), home);
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("[5/5] fetched through the tunnel: Hello from the alknet demo");

        // a runtime, not a JDK: no compiler, no Maven
        assertThat(root.resolve("runtime/bin/java")).isExecutable();
        assertThat(root.resolve("runtime/bin/javac")).doesNotExist();
    }

    @Test
    void thePackageCarriesThePluginsTheHelpTextsAndTheFail2banFiles() throws Exception {
        try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()).toList())
                    .anyMatch(n -> n.startsWith("alknet-transport-iroh-")).anyMatch(n -> n.startsWith("alknet-transport-tls-"))
                    .anyMatch(n -> n.startsWith("alknet-interface-socks5-")).anyMatch(n -> n.startsWith("alknet-policy-rules-"))
                    .anyMatch(n -> n.startsWith("alknet-secret-"));
        }
        if (System.getenv("ALKNET_SKIP_NATIVE") == null) {
            Path iroh;
            try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
                iroh = jars.filter(p -> p.getFileName().toString().startsWith("alknet-transport-iroh-")).findFirst().orElseThrow();
            }
            try (ZipFile jar = new ZipFile(iroh.toFile())) {
                assertThat(jar.getEntry("native/linux-x86_64/libalknet_iroh.so")).as("the iroh native library").isNotNull();
            }
        }
        Path help = root.resolve("share/doc/alknet/help");
        assertThat(Files.readString(help.resolve("alknet.txt"))).contains("Commands:");
        for (String command : List.of("serve", "connect", "keygen", "demo", "policy")) {
            assertThat(Files.readString(help.resolve("alknet-" + command + ".txt"))).startsWith("Usage: alknet " + command);
        }
        assertThat(root.resolve("share/fail2ban/filter.d/alknet.conf")).exists();
        assertThat(root.resolve("share/fail2ban/jail.d/alknet.conf")).exists();
        assertThat(Files.readString(root.resolve("share/sysusers.d/alknet.conf"))).contains("u alknet");
    }

    /** The unit as shipped, with ExecStart pointed at this unpacked copy (systemd checks that the command exists). */
    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        String unit = Files.readString(root.resolve("share/systemd/alknet.service"));
        assertThat(unit).contains("User=alknet").contains("ProtectSystem=strict").contains("StateDirectory=alknet")
                .contains("ExecStart=/opt/alknet/bin/alknet serve");
        Path copy = Files.createDirectories(dir.resolve("units")).resolve("alknet.service");
        Files.writeString(copy, unit.replace("/opt/alknet/bin/alknet", root.resolve("bin/alknet").toString()));
        Result verify = run(List.of("systemd-analyze", "verify", copy.toString()), null);
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).as("no warnings either").isBlank();
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs with an empty environment when {@code home} is given: no JAVA_HOME, PATH pointing nowhere. */
    private static Result run(List<String> command, Path home) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (home != null) {
            builder.environment().clear();
            builder.environment().put("HOME", home.toString());
            builder.environment().put("PATH", dir.resolve("no-such-dir").toString());
        }
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
