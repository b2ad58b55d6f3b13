package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.TransportStream;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void builtInPluginsAreFoundWithTheirJars() {
        PluginCatalog catalog = Alknet.discover(Optional.empty());
        assertThat(names(catalog)).contains("tcp", "ssh", "keys", "rules", "forward");
        assertThat(catalog.plugins()).filteredOn(p -> p.name().equals("tcp")).singleElement().satisfies(p -> {
            assertThat(p.builtIn()).isTrue();
            assertThat(p.contributions()).containsExactly("transport:tcp");
            // the jar when built by the reactor, target/classes when run from an IDE
            assertThat(p.location().toString()).containsAnyOf("alknet-transport-tcp", "transports/tcp");
        });
        assertThat(catalog.of(ExtensionKind.TRANSPORT)).containsKey("tcp");
        assertThat(catalog.of(ExtensionKind.STREAM_INTERFACE)).containsKey("ssh");
        assertThat(catalog.of(ExtensionKind.IDENTITY_PROVIDER)).containsKey("keys");
        assertThat(catalog.of(ExtensionKind.FORWARDING_POLICY)).containsKey("rules");
    }

    @Test
    void aJarInThePluginDirectoryIsLoadedInItsOwnClassLoaderAndUsedEndToEnd() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "deny-all.jar", "com.example.denyall.TestPlugin",
                PluginJars.policyPlugin("com.example.denyall", "deny-all", "deny-all"), null);
        PluginCatalog catalog = Alknet.discover(Optional.of(plugins));
        assertThat(catalog.plugins()).filteredOn(p -> p.name().equals("deny-all")).singleElement().satisfies(p -> {
            assertThat(p.builtIn()).isFalse();
            assertThat(p.jarName()).isEqualTo("deny-all.jar");
            assertThat(p.contributions()).containsExactly("forwarding-policy:deny-all");
            assertThat(p.classLoader()).isNotSameAs(getClass().getClassLoader());
        });

        Fixture fixture = new Fixture(dir);
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().pluginDirectory(plugins).forwardingPolicy("deny-all").build());
             AlknetClient client = Alknet.client(fixture.client(server).build())) {
            assertThatThrownBy(() -> client.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join())
                    .cause().isInstanceOf(AlknetException.class).hasMessageContaining("administratively prohibited");
        }
    }

    @Test
    void pluginsCannotSeeTheKernel() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        String source = PluginJars.policyPlugin("com.example.sneaky", "sneaky", "sneaky")
                .replace("public String name() { return \"sneaky\"; }",
                        "public String name() { io.alknet.kernel.Alknet.defaultUser(); return \"sneaky\"; }");
        PluginJars.build(plugins, "sneaky.jar", "com.example.sneaky.TestPlugin", source, null);
        PluginCatalog catalog = Alknet.discover(Optional.of(plugins));
        assertThat(names(catalog)).doesNotContain("sneaky");
        assertThat(catalog.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.location().getFileName().toString()).isEqualTo("sneaky.jar");
            assertThat(rejected.reason()).contains("io.alknet.kernel.Alknet");
        });
        try (AlknetServer server = Alknet.server(new Fixture(dir).server().pluginDirectory(plugins).build())) {
            assertThat(server.listenAddresses()).as("the server starts without the rejected jar").isNotEmpty();
        }
    }

    @Test
    void aJarClaimingATakenPluginNameIsRejectedNamingBothAndTheServerStarts() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "evil-tcp.jar", "com.example.eviltcp.TestPlugin",
                PluginJars.policyPlugin("com.example.eviltcp", "tcp", "evil"), null);
        PluginCatalog catalog = Alknet.discover(Optional.of(plugins));
        assertThat(catalog.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.location().getFileName().toString()).isEqualTo("evil-tcp.jar");
            assertThat(rejected.reason()).contains("plugin name 'tcp'").contains("alknet-transport-tcp");
        });
        assertThat(catalog.of(ExtensionKind.FORWARDING_POLICY)).doesNotContainKey("evil");
        Fixture fixture = new Fixture(dir);
        try (AlknetServer server = Alknet.server(fixture.server().pluginDirectory(plugins).build())) {
            assertThat(server.listenAddresses()).isNotEmpty();
        }
    }

    @Test
    void twoPluginsOnTheClassPathClaimingOneNameFailStartupNamingBoth() throws Exception {
        Path jars = Files.createDirectories(dir.resolve("classpath"));
        Path evil = PluginJars.build(jars, "evil-tcp.jar", "com.example.cptcp.TestPlugin",
                PluginJars.policyPlugin("com.example.cptcp", "tcp", "evil"), null);
        try (java.net.URLClassLoader application = new java.net.URLClassLoader(new java.net.URL[] {evil.toUri().toURL()},
                PluginDiscoveryTest.class.getClassLoader())) {
            assertThatThrownBy(() -> io.alknet.kernel.internal.PluginDiscovery.discover(application, Optional.empty()))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.PLUGIN_CONFLICT))
                    .hasMessageContaining("plugin name 'tcp'")
                    .hasMessageContaining("alknet-transport-tcp")
                    .hasMessageContaining("evil-tcp.jar");
        }
    }

    @Test
    void aJarContributingATakenNameIsRejectedNamingBothAndTheServerStarts() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "other-rules.jar", "com.example.otherrules.TestPlugin",
                PluginJars.policyPlugin("com.example.otherrules", "other-rules", "rules"), null);
        PluginCatalog catalog = Alknet.discover(Optional.of(plugins));
        assertThat(catalog.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.location().getFileName().toString()).isEqualTo("other-rules.jar");
            assertThat(rejected.reason()).contains("forwarding policy 'rules'").contains("alknet-policy-rules");
        });
        Fixture fixture = new Fixture(dir);
        try (AlknetServer server = Alknet.server(fixture.server().pluginDirectory(plugins).build())) {
            assertThat(server.listenAddresses()).isNotEmpty();
        }
    }

    @Test
    void aPluginThatThrowsIsRejectedWithItsJarAndTheServerStarts() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "throws.jar", "com.example.throwing.TestPlugin", """
                package com.example.throwing;

                import io.alknet.api.plugin.AlknetPlugin;
                import io.alknet.api.transport.TransportFactory;
                import java.util.List;

                public final class TestPlugin implements AlknetPlugin {
                    public String name() { return "throwing"; }
                    public List<TransportFactory> transports() { throw new IllegalStateException("boom at start"); }
                }
                """, null);
        PluginJars.build(plugins, "bad-operations.jar", "com.example.badops.TestPlugin", """
                package com.example.badops;

                import io.alknet.api.call.Operation;
                import io.alknet.api.plugin.AlknetPlugin;
                import java.util.List;

                public final class TestPlugin implements AlknetPlugin {
                    public String name() { return "bad-operations"; }
                    public List<Operation> operations() { throw new IllegalStateException("no operations today"); }
                }
                """, null);
        PluginCatalog catalog = Alknet.discover(Optional.of(plugins));
        assertThat(catalog.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.location().getFileName().toString()).isEqualTo("throws.jar");
            assertThat(rejected.reason()).contains("its entry point failed").contains("boom at start");
        });
        LogCapture.clear();
        Fixture fixture = new Fixture(dir);
        try (AlknetServer server = Alknet.server(fixture.server().pluginDirectory(plugins).build())) {
            assertThat(server.operations().find("/health/ping")).isPresent();
            assertThat(LogCapture.matching("plugin.operations.failed")).singleElement().asString()
                    .contains("bad-operations.jar").contains("no operations today");
        }
    }

    @Test
    void aJarWithoutEntryPointOrWithTwoIsRejectedWithItsName() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "two.jar", "com.example.two.TestPlugin",
                PluginJars.policyPlugin("com.example.two", "two", "two"),
                "com.example.two.TestPlugin\ncom.example.two.TestPlugin$Missing\n");
        Files.write(plugins.resolve("empty.jar"), emptyJar());
        PluginCatalog catalog = Alknet.discover(Optional.of(plugins));
        assertThat(catalog.rejected()).extracting(r -> r.location().getFileName().toString())
                .containsExactlyInAnyOrder("two.jar", "empty.jar");
        assertThat(catalog.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("no io.alknet.api.plugin.AlknetPlugin"));
    }

    @Test
    void unknownComponentsNameWhatIsAvailable() throws Exception {
        Fixture fixture = new Fixture(dir);
        assertThatThrownBy(() -> Alknet.server(fixture.server().listen(BuiltIns.ssh("quic://127.0.0.1:0")).build()))
                .isInstanceOf(AlknetException.class)
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.UNKNOWN_COMPONENT))
                .hasMessageContaining("unknown transport 'quic'")
                .hasMessageContaining("available: iroh, tcp, tls");
    }

    private static java.util.List<String> names(PluginCatalog catalog) {
        return catalog.plugins().stream().map(PluginCatalog.PluginInfo::name).toList();
    }

    private static byte[] emptyJar() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes)) {
            jar.putNextEntry(new java.util.jar.JarEntry("README"));
            jar.write("nothing".getBytes());
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unused")
    private static void unused(TransportStream stream) {
    }
}
