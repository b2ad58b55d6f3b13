package io.alknet.architecture;

import io.alknet.kernel.Alknet;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's main code names no plugin: no string literal in {@code kernel/src/main} is a built-in plugin's name or
 * the name of something it contributes ({@code "tcp"}, {@code "keys"}, {@code "local-forward"}), holds one of their
 * settings prefixes ({@code "interface.ssh."}) or one of their schemes ({@code "tcp://"}). Names and defaults live in
 * the convenience layer (alknet-defaults) and the CLI. Comments may use them as examples.
 */
class KernelNamesNoPluginTest {

    private static final Path KERNEL_SOURCES = Path.of("..", "kernel", "src", "main", "java").toAbsolutePath().normalize();

    private static final TreeSet<String> NAMES = new TreeSet<>();
    private static final TreeSet<String> FRAGMENTS = new TreeSet<>();

    @BeforeAll
    static void builtInNames() {
        PluginCatalog catalog = Alknet.discover(Optional.empty());
        catalog.plugins().forEach(plugin -> NAMES.add(plugin.name()));
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            for (String name : catalog.contributions().get(kind).keySet()) {
                NAMES.add(name);
                FRAGMENTS.add(kind.settingsPrefix(name));
                if (kind.equals(ExtensionKind.TRANSPORT)) {
                    FRAGMENTS.add(name + "://");
                }
            }
        }
    }

    @Test
    void theBuiltInsAreKnown() {
        assertThat(NAMES).contains("tcp", "tls", "iroh", "ssh", "raw", "http", "keys", "apikey", "rules", "socks5",
                "local-forward", "remote-forward");
        assertThat(FRAGMENTS).contains("transport.tcp.", "interface.ssh.", "identity.keys.", "policy.rules.", "tcp://");
    }

    @Test
    void noStringLiteralInTheKernelsMainCodeNamesAPlugin() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(KERNEL_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                pluginNames(Files.readString(file)).forEach(literal -> found.add(KERNEL_SOURCES.relativize(file) + ": " + literal));
            }
        }
        assertThat(found).as("string literals naming a plugin in kernel/src/main").isEmpty();
    }

    /** The check sees what the kernel used to hold, so it can fail. */
    @Test
    void theCheckCatchesTheNamesTheKernelHeldBefore() {
        assertThat(pluginNames("outbound = new Outbound(transport(\"tcp\"), config, audit);")).containsExactly("\"tcp\"");
        assertThat(pluginNames("String uri = \"tcp://127.0.0.1:2222\"; // tcp")).containsExactly("\"tcp://127.0.0.1:2222\"");
        assertThat(pluginNames("return setting(\"interface.ssh.host-key\", file.toString());")).hasSize(1);
        assertThat(pluginNames("private String streamInterface = \"ssh\"; // \"keys\" in a comment is fine")).containsExactly("\"ssh\"");
        assertThat(pluginNames("LOG.debug(\"forward.opened remote_addr={}\", peer);")).isEmpty();
    }

    /** The string literals of {@code source} (comments are skipped) that name a plugin. */
    private static List<String> pluginNames(String source) {
        List<String> named = new ArrayList<>();
        for (String literal : literals(source)) {
            if (NAMES.contains(literal) || FRAGMENTS.stream().anyMatch(literal::contains)) {
                named.add("\"" + literal + "\"");
            }
        }
        return named;
    }

    /** The contents of the string literals and text blocks of Java {@code source}, outside comments and char literals. */
    private static List<String> literals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                literals.add(source.substring(i + 3, end < 0 ? source.length() : end));
                i = end < 0 ? source.length() : end + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                StringBuilder literal = new StringBuilder();
                i++;
                while (i < source.length() && source.charAt(i) != quote) {
                    if (source.charAt(i) == '\\' && i + 1 < source.length()) {
                        literal.append(source.charAt(i));
                        i++;
                    }
                    literal.append(source.charAt(i));
                    i++;
                }
                i++;
                if (quote == '"') {
                    literals.add(literal.toString());
                }
            } else {
                i++;
            }
        }
        return literals;
    }
}
