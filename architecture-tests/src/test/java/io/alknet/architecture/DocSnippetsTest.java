package io.alknet.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The developer guide's Java snippets are taken from code that compiles and is tested: every ```java
 * block in {@code docs/develop/*.md} must appear, line for line (indentation aside), in a source file of
 * the examples, plugins, interfaces, transports, testkit, kernel, defaults or integration tests. A snippet that drifts
 * from the code fails the build.
 */
class DocSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaSnippetInTheDeveloperGuideIsRealCode() throws IOException {
        Path guide = ROOT.resolve("docs/develop");
        List<String> sources = sources();
        List<String> pages;
        try (Stream<Path> files = Files.list(guide)) {
            pages = files.filter(file -> file.toString().endsWith(".md")).map(Path::toString).sorted().toList();
        }
        assertThat(pages).as("pages in docs/develop").isNotEmpty();
        int snippets = 0;
        for (String page : pages) {
            Matcher matcher = JAVA_BLOCK.matcher(Files.readString(Path.of(page)));
            while (matcher.find()) {
                snippets++;
                String snippet = normalize(matcher.group(1));
                assertThat(sources.stream().anyMatch(source -> source.contains(snippet)))
                        .as("this snippet of %s appears in the sources:%n%s", ROOT.relativize(Path.of(page)), matcher.group(1)).isTrue();
            }
        }
        assertThat(snippets).as("Java snippets checked").isGreaterThan(5);
    }

    /**
     * Every kind of extension in the kernel's table has its page, named after it ({@code front-end.md} for
     * {@code front-end}), and every page but the index shows code.
     */
    @Test
    void everyExtensionKindHasAPageWithASnippet() throws IOException {
        Path guide = ROOT.resolve("docs/develop");
        for (io.alknet.kernel.ExtensionKind<?> kind : io.alknet.kernel.ExtensionKind.ALL) {
            Path page = guide.resolve(kind.id() + ".md");
            assertThat(page).as("the developer guide's page for %s", kind.label()).exists();
        }
        try (Stream<Path> files = Files.list(guide)) {
            for (Path page : files.filter(file -> file.toString().endsWith(".md") && !file.endsWith("README.md")).sorted().toList()) {
                assertThat(JAVA_BLOCK.matcher(Files.readString(page)).find()).as("%s shows a Java snippet", ROOT.relativize(page)).isTrue();
            }
        }
    }

    private static List<String> sources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String tree : List.of("examples", "plugins", "interfaces", "transports", "testkit", "kernel/src/test", "kernel/src/main",
                "defaults/src/main", "integration-tests/src/test")) {
            Path dir = ROOT.resolve(tree);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(file -> file.toString().endsWith(".java") || file.toString().endsWith(".xml")
                                || file.getFileName().toString().equals("io.alknet.api.plugin.AlknetPlugin"))
                        .filter(file -> !file.toString().contains("/target/"))
                        .forEach(file -> {
                            try {
                                sources.add(normalize(Files.readString(file)));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
        }
        return sources;
    }

    /** Each line stripped, blank lines dropped: indentation and spacing between blocks do not matter. */
    private static String normalize(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (!stripped.isEmpty()) {
                out.append(stripped).append('\n');
            }
        }
        return out.toString();
    }
}
