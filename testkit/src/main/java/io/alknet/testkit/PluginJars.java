package io.alknet.testkit;

import io.alknet.api.plugin.AlknetPlugin;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds real plugin jars at test time: compiles Java source against the test's class path (which holds
 * the api) and packages it with its {@code META-INF/services} entry.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param className fully qualified entry point class
     * @param source    its source
     * @param services  the service file content; {@code null} for the entry point alone
     */
    public static Path build(Path dir, String jarName, String className, String source, String services) throws IOException {
        Path work = Files.createTempDirectory("alknet-plugin-src");
        try {
            return compileAndPackage(work, dir, jarName, className, source, services);
        } finally {
            deleteTree(work);
        }
    }

    private static Path compileAndPackage(Path work, Path dir, String jarName, String className, String source, String services)
            throws IOException {
        Path sourceFile = work.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(sourceFile.getParent());
        Files.writeString(sourceFile, source);
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("java.class.path");
        java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
        int status = compiler.run(null, diagnostics, diagnostics, "-d", classes.toString(), "-cp", classPath, sourceFile.toString());
        if (status != 0) {
            throw new IllegalStateException("test plugin did not compile:\n" + diagnostics);
        }
        Path jar = dir.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + AlknetPlugin.class.getName()));
            out.write((services != null ? services : className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A plugin named {@code name} contributing a forwarding policy called {@code policyName}. */
    public static String policyPlugin(String packageName, String name, String policyName) {
        return """
                package %s;

                import io.alknet.api.plugin.AlknetPlugin;
                import io.alknet.api.plugin.PluginContext;
                import io.alknet.api.plugin.Settings;
                import io.alknet.api.policy.ForwardingPolicy;
                import io.alknet.api.policy.ForwardingPolicyFactory;
                import io.alknet.api.policy.PolicyDecision;
                import java.util.List;
                
                public final class TestPlugin implements AlknetPlugin {
                    public String name() { return "%s"; }
                    public List<ForwardingPolicyFactory> forwardingPolicies() {
                        return List.of(new ForwardingPolicyFactory() {
                            public String name() { return "%s"; }
                            public ForwardingPolicy create(Settings settings, PluginContext context) {
                                return request -> PolicyDecision.deny("%s", "denied by the test plugin");
                            }
                        });
                    }
                }
                """.formatted(packageName, name, policyName, policyName);
    }
}
