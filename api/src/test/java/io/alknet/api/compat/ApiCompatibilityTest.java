package io.alknet.api.compat;

import io.alknet.api.Experimental;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code alknet-api} compatible with its recorded surface ({@code api-surface.txt}): every public
 * type, constructor, method and field recorded there must still exist with the same signature, and no
 * interface recorded there may gain an abstract method (that would break every implementor). Additions
 * are fine. Packages and types marked {@link Experimental} are exempt. An intended change is recorded by
 * running the test with {@code -Dalknet.api.rebaseline=true} and committing the new file, so every API
 * change shows up in review as a diff of that file.
 */
class ApiCompatibilityTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Path BASELINE = Path.of("src/test/resources/io/alknet/api/compat/api-surface.txt");

    @Test
    void theApiKeepsItsRecordedSurface() throws Exception {
        List<String> current = surface();
        if (Boolean.getBoolean("alknet.api.rebaseline") || !Files.exists(BASELINE)) {
            Files.createDirectories(BASELINE.getParent());
            Files.write(BASELINE, current);
            assertThat(Boolean.getBoolean("alknet.api.rebaseline")).as("no baseline yet: recorded " + BASELINE + "; commit it").isTrue();
            return;
        }
        List<String> recorded = Files.readAllLines(BASELINE).stream().filter(line -> !line.isBlank()).toList();
        TreeSet<String> now = new TreeSet<>(current);
        List<String> missing = recorded.stream().filter(line -> !now.contains(line)).toList();
        assertThat(missing).as("API removed or changed since the recorded surface (intended? rerun with -Dalknet.api.rebaseline=true)")
                .isEmpty();
        TreeSet<String> recordedInterfaces = recorded.stream().filter(line -> line.startsWith("interface "))
                .map(line -> line.substring("interface ".length()).split(" ")[0]).collect(Collectors.toCollection(TreeSet::new));
        List<String> newAbstract = current.stream().filter(line -> line.startsWith("abstract method "))
                .filter(line -> recordedInterfaces.contains(line.substring("abstract method ".length()).split("#")[0]))
                .filter(line -> !recorded.contains(line)).toList();
        assertThat(newAbstract).as("new abstract methods in existing interfaces break implementors: make them default methods").isEmpty();
    }

    private static List<String> surface() throws IOException, ClassNotFoundException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("package-info.class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ApiCompatibilityTest.class.getClassLoader());
                if (!Modifier.isPublic(type.getModifiers()) || type.isSynthetic() || experimental(type)) {
                    continue;
                }
                describe(type, lines);
            }
        }
        lines.sort(String::compareTo);
        return lines;
    }

    private static boolean experimental(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (t.isAnnotationPresent(Experimental.class) || t.getPackage().isAnnotationPresent(Experimental.class)) {
                return true;
            }
        }
        return false;
    }

    private static void describe(Class<?> type, List<String> lines) {
        String kind = type.isAnnotation() ? "annotation" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        String supers = Stream.concat(Stream.ofNullable(type.getGenericSuperclass()).filter(s -> !s.equals(Object.class)
                                && !s.getTypeName().startsWith("java.lang.Record") && !s.getTypeName().startsWith("java.lang.Enum")),
                        Arrays.stream(type.getGenericInterfaces()))
                .map(java.lang.reflect.Type::getTypeName).sorted().collect(Collectors.joining(","));
        lines.add(kind + " " + type.getName() + (Modifier.isFinal(type.getModifiers()) ? " final" : "")
                + (supers.isEmpty() ? "" : " : " + supers));
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                lines.add("constructor " + type.getName() + "(" + params(constructor.getGenericParameterTypes()) + ")");
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (!visible(method.getModifiers()) || method.isSynthetic() || method.isBridge()) {
                continue;
            }
            String flavour = Modifier.isStatic(method.getModifiers()) ? "static method"
                    : method.isDefault() ? "default method" : Modifier.isAbstract(method.getModifiers()) ? "abstract method" : "method";
            lines.add(flavour + " " + type.getName() + "#" + method.getName() + "(" + params(method.getGenericParameterTypes()) + ") "
                    + method.getGenericReturnType().getTypeName());
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isSynthetic()) {
                lines.add("field " + type.getName() + "#" + field.getName() + " " + field.getGenericType().getTypeName()
                        + (Modifier.isStatic(field.getModifiers()) ? " static" : ""));
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String params(java.lang.reflect.Type[] types) {
        return Arrays.stream(types).map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(","));
    }
}
