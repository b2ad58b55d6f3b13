package io.alknet.api.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFilesTest {

    @TempDir
    Path dir;

    @Test
    void aSecretIsOwnerOnlyAndReplacedWhole() throws Exception {
        Path file = dir.resolve("keys/secret");
        StateFiles.replace(file, "first".getBytes(StandardCharsets.UTF_8), true);
        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        StateFiles.replace(file, "second".getBytes(StandardCharsets.UTF_8), true);
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(leftovers()).containsExactly(file);
    }

    @Test
    void createLeavesAnExistingFileAlone() throws Exception {
        Path file = dir.resolve("id");
        StateFiles.create(file, "mine".getBytes(StandardCharsets.UTF_8), false);
        assertThatThrownBy(() -> StateFiles.create(file, "theirs".getBytes(StandardCharsets.UTF_8), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("mine");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("not a secret").isEqualTo("rw-r--r--");
        assertThat(leftovers()).as("no temporary file stays behind").containsExactly(file);
    }

    private java.util.List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
