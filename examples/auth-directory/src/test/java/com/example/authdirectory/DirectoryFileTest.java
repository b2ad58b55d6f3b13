package com.example.authdirectory;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryFieldSkippingCommentsAndBlankLines() throws Exception {
        String carolKey = Keys.fingerprint(Keys.blob(1));
        String carolLaptop = Keys.fingerprint(Keys.blob(2));
        String daveKey = Keys.fingerprint(Keys.blob(3));
        String hash = DirectoryFile.hashSecret("s3cret");
        Path file = dir.resolve("directory");
        Files.writeString(file, """
                # the example directory

                uid=carol name="Carol \\"C\\" Example" scopes=relay:connect,greeter:use keys=%s,%s tokens=%s
                   # an indented comment
                uid=dave scopes=relay:connect keys=%s expires=2027-01-01T00:00:00Z status=disabled
                uid=erin
                """.formatted(carolKey, carolLaptop, hash.toUpperCase(), daveKey));

        List<DirectoryEntry> entries = DirectoryFile.read(file);

        assertThat(entries).extracting(DirectoryEntry::uid).containsExactly("carol", "dave", "erin");
        DirectoryEntry carol = entries.getFirst();
        assertThat(carol.name()).isEqualTo("Carol \"C\" Example");
        assertThat(carol.scopes()).containsExactlyInAnyOrder("relay:connect", "greeter:use");
        assertThat(carol.keys()).containsExactly(carolKey, carolLaptop);
        assertThat(carol.secretHashes()).singleElement().satisfies(h -> assertThat(HexFormat.of().formatHex(h)).isEqualTo(hash));
        assertThat(carol.expires()).isEmpty();
        assertThat(carol.disabled()).isFalse();
        assertThat(carol.source()).isEqualTo(file + ":3");
        DirectoryEntry dave = entries.get(1);
        assertThat(dave.expires()).isEqualTo(Optional.of(Instant.parse("2027-01-01T00:00:00Z")));
        assertThat(dave.disabled()).isTrue();
        DirectoryEntry erin = entries.get(2);
        assertThat(erin.name()).isEqualTo("erin");
        assertThat(erin.scopes()).isEmpty();
        assertThat(erin.keys()).isEmpty();
        assertThat(erin.toString()).doesNotContain(hash);
    }

    @Test
    void hashesSecretsWithSha256() {
        // the FIPS 180-2 test vector: what sha256sum prints for "abc"
        assertThat(DirectoryFile.hashSecret("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void refusesEachMalformedLineNamingFileAndLine() throws Exception {
        String key = Keys.fingerprint(Keys.blob(1));
        String hash = DirectoryFile.hashSecret("s3cret");
        Map<String, String> cases = Map.ofEntries(
                Map.entry("uid=carol scopes", "expected name=value"),
                Map.entry("scopes=relay:connect uid=carol", "starts with uid="),
                Map.entry("uid=carol color=blue", "unknown field 'color'"),
                Map.entry("uid=carol uid=dave", "appears twice"),
                Map.entry("uid=", "is empty"),
                Map.entry("uid=-carol", "uid '-carol' must match"),
                Map.entry("uid=carol scopes=relay:connect,bad scope", "expected name=value"),
                Map.entry("uid=carol scopes=\"bad scope\"", "scope 'bad scope' must match"),
                Map.entry("uid=carol keys=SHA256:short", "is not a key fingerprint"),
                Map.entry("uid=carol keys=" + key + "," + key, "listed twice"),
                Map.entry("uid=carol tokens=hunter2", "is not a SHA-256 hash"),
                Map.entry("uid=carol tokens=" + hash + "," + hash, "token hash is listed twice"),
                Map.entry("uid=carol expires=tomorrow", "not an ISO-8601 instant"),
                Map.entry("uid=carol status=gone", "status must be active or disabled"),
                Map.entry("uid=carol name=\"Carol", "unterminated quote"));
        for (var entry : cases.entrySet()) {
            Path file = dir.resolve("directory");
            Files.writeString(file, "# header\n\nuid=ok\n" + entry.getKey() + "\n");
            assertThatThrownBy(() -> DirectoryFile.read(file))
                    .as(entry.getKey())
                    .isInstanceOf(AlknetException.class)
                    .hasMessageContaining("directory file " + file + ":4: ")
                    .hasMessageContaining(entry.getValue())
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        }
    }

    @Test
    void aPastedSecretIsNeverEchoedInTheError() throws Exception {
        Path file = dir.resolve("directory");
        Files.writeString(file, "uid=carol tokens=correct-horse-battery-staple\n");
        assertThatThrownBy(() -> DirectoryFile.read(file)).hasMessageContaining(":1: ")
                .hasMessageNotContaining("correct-horse-battery-staple");
    }

    @Test
    void refusesAUidKeyOrHashUsedByTwoEntries() throws Exception {
        String key = Keys.fingerprint(Keys.blob(1));
        String hash = DirectoryFile.hashSecret("s3cret");
        Path file = dir.resolve("directory");
        Files.writeString(file, "uid=carol\nuid=carol\n");
        assertThatThrownBy(() -> DirectoryFile.read(file)).hasMessageContaining(file + ":2: uid 'carol' is already defined at " + file + ":1");
        Files.writeString(file, "uid=carol keys=" + key + "\nuid=dave keys=" + key + "\n");
        assertThatThrownBy(() -> DirectoryFile.read(file)).hasMessageContaining(file + ":2: key " + key + " is already listed at " + file + ":1");
        Files.writeString(file, "uid=carol tokens=" + hash + "\nuid=dave tokens=" + hash.toUpperCase() + "\n");
        assertThatThrownBy(() -> DirectoryFile.read(file)).hasMessageContaining(file + ":2: a token hash is already listed at " + file + ":1");
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        assertThatThrownBy(() -> DirectoryFile.read(dir.resolve("nope")))
                .isInstanceOf(AlknetException.class).hasMessageContaining("directory file not found");
    }
}
