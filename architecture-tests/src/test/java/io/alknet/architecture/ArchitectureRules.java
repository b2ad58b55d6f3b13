package io.alknet.architecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The rules of ARCHITECTURE.md ("Rules that keep the house livable"), as ArchUnit rules. */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** {@code api} depends on the JDK only. */
    static final ArchRule API_IS_JDK_ONLY = classes()
            .that().resideInAPackage(Modules.API + "..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(Modules.API + "..", "java..")
            .as("api depends on the JDK only");

    /** The stream support library depends on the JDK and the api only, so that any plugin may carry it. */
    static final ArchRule STREAM_SUPPORT_IS_JDK_AND_API_ONLY = classes()
            .that().resideInAPackage(Modules.STREAM_SUPPORT + "..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(Modules.STREAM_SUPPORT + "..", Modules.API + "..", "java..")
            .as("the stream support library depends on the JDK and the api only");

    /** The flowgraph is pure computation: the JDK and the api's value types, no I/O library, no kernel. */
    static final ArchRule FLOWGRAPH_IS_JDK_AND_API_ONLY = classes()
            .that().resideInAPackage(Modules.FLOWGRAPH + "..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(Modules.FLOWGRAPH + "..", Modules.API + "..", "java..")
            .as("the flowgraph depends on the JDK and the api only");

    /** Plugins (and the libraries they share) never depend on the kernel, its convenience layer or the CLI. */
    static final ArchRule PLUGINS_DO_NOT_DEPEND_ON_KERNEL = noClasses()
            .that().resideInAnyPackage(pluginsAndLibraries())
            .should().dependOnClassesThat().resideInAnyPackage(Modules.KERNEL + "..", Modules.DEFAULTS + "..", Modules.CLI + "..")
            .as("plugins never depend on the kernel");

    /** A plugin never depends on another plugin. */
    static final ArchRule PLUGINS_ARE_INDEPENDENT = pluginsIndependent();

    /** The kernel reaches plugins only through api types: no plugin class is referenced from it. */
    static final ArchRule KERNEL_DOES_NOT_KNOW_PLUGINS = noClasses()
            .that().resideInAPackage(Modules.KERNEL + "..")
            .should().dependOnClassesThat().resideInAnyPackage(pluginsAndLibraries())
            .as("the kernel references no plugin class");

    /** No Netty, MINA or iroh types in the kernel. */
    static final ArchRule KERNEL_HAS_NO_IO_LIBRARIES = noClasses()
            .that().resideInAPackage(Modules.KERNEL + "..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.apache.sshd..", "org.bouncycastle..")
            .as("the kernel uses no Netty, MINA or BouncyCastle type");

    /** Nothing outside a module uses its {@code internal} package. */
    static final ArchRule INTERNAL_STAYS_INTERNAL = internalRule();

    static List<ArchRule> all() {
        return List.of(API_IS_JDK_ONLY, STREAM_SUPPORT_IS_JDK_AND_API_ONLY, FLOWGRAPH_IS_JDK_AND_API_ONLY, PLUGINS_DO_NOT_DEPEND_ON_KERNEL, PLUGINS_ARE_INDEPENDENT,
                KERNEL_DOES_NOT_KNOW_PLUGINS, KERNEL_HAS_NO_IO_LIBRARIES, INTERNAL_STAYS_INTERNAL);
    }

    private static String[] pluginsAndLibraries() {
        List<String> packages = new ArrayList<>();
        Modules.PLUGINS.forEach(root -> packages.add(root + ".."));
        packages.add(Modules.NETTY_SUPPORT + "..");
        packages.add(Modules.STREAM_SUPPORT + "..");
        packages.add(Modules.CALL_FRAMING + "..");
        return packages.toArray(String[]::new);
    }

    private static ArchRule pluginsIndependent() {
        List<ArchRule> rules = new ArrayList<>();
        for (String plugin : Modules.PLUGINS) {
            String[] others = Modules.PLUGINS.stream().filter(other -> !other.equals(plugin)).map(other -> other + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(plugin + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others).allowEmptyShould(true));
        }
        return CompositeArchRule.of(rules).as("plugins never depend on each other");
    }

    private static ArchRule internalRule() {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : Modules.ALL) {
            rules.add(noClasses().that().resideOutsideOfPackage(module + "..")
                    .should().dependOnClassesThat().resideInAPackage(module + ".internal..").allowEmptyShould(true));
        }
        return CompositeArchRule.of(rules).as("nothing outside a module uses its internal package");
    }
}
