package io.alknet.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every built-in plugin has the same package layout: its root is {@code io.alknet.} plus its artifactId without
 * {@code alknet-} (dashes become dots; {@code interface} becomes {@code interfaces}, as the word is reserved in Java),
 * the root holds the entry point {@code <Name>Plugin} and the plugin's public types, for other modules (say
 * {@code OpenSshKeys} for the CLI), and everything else lives in {@code <root>.internal}.
 */
class PluginLayoutTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = Modules.production();
    }

    @Test
    void theServiceFilesNameEveryBuiltInPluginIncludingIroh() {
        assertThat(Modules.PLUGINS).contains("io.alknet.transport.tcp", "io.alknet.transport.tls", "io.alknet.transport.iroh",
                "io.alknet.interfaces.ssh", "io.alknet.auth.keys", "io.alknet.policy.rules");
    }

    @Test
    void everyPluginRootFollowsItsArtifactId() {
        for (Modules.Plugin plugin : Modules.BUILT_IN.values()) {
            String artifact = Modules.artifactId(plugin.moduleDirectory());
            assertThat(artifact).as("artifactId of %s", plugin.moduleDirectory()).startsWith("alknet-");
            String expected = "io.alknet." + artifact.substring("alknet-".length()).replaceFirst("^interface-", "interfaces-")
                    .replace('-', '.');
            assertThat(plugin.root()).as("package root of %s", artifact).isEqualTo(expected);
            String simpleName = plugin.entryPoint().substring(plugin.entryPoint().lastIndexOf('.') + 1);
            assertThat(simpleName).as("entry point of %s", artifact).endsWith("Plugin");
        }
    }

    @Test
    void everythingButTheEntryPointAndThePublicApiIsInternal() {
        for (Modules.Plugin plugin : Modules.BUILT_IN.values()) {
            String root = plugin.root();
            List<JavaClass> classes = production.stream()
                    .filter(c -> c.getPackageName().equals(root) || c.getPackageName().startsWith(root + ".")).toList();
            assertThat(classes).as("classes of %s", root).isNotEmpty();
            for (JavaClass type : classes) {
                String packageName = type.getPackageName();
                assertThat(packageName.equals(root) || packageName.equals(root + ".internal") || packageName.startsWith(root + ".internal."))
                        .as("%s is in %s or %s.internal", type.getName(), root, root).isTrue();
                if (!packageName.equals(root) || type.getName().equals(plugin.entryPoint()) || type.getSimpleName().equals("package-info")) {
                    continue;
                }
                JavaClass outermost = type;
                while (outermost.getEnclosingClass().isPresent()) {
                    outermost = outermost.getEnclosingClass().get();
                }
                assertThat(outermost.getModifiers()).as("%s sits at the root of %s, so it is public API; otherwise move it to %s.internal",
                        outermost.getName(), root, root).contains(JavaModifier.PUBLIC);
            }
        }
    }

    @Test
    void theEntryPointIsNamedAfterThePlugin() {
        for (Modules.Plugin plugin : Modules.BUILT_IN.values()) {
            String last = plugin.root().substring(plugin.root().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            String simpleName = plugin.entryPoint().substring(plugin.entryPoint().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            assertThat(simpleName).as("entry point of %s", plugin.root()).startsWith(last);
        }
    }
}
