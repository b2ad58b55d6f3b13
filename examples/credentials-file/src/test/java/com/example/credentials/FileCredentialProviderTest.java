package com.example.credentials;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file credential provider over a real directory. */
class FileCredentialProviderTest {

    @TempDir
    Path dir;

    private CredentialProvider provider(Map<String, String> values) {
        return new FileCredentialProviderFactory().create(Settings.of("credential.file.", values), TestPluginContext.in(dir));
    }

    @Test
    void aServiceFileGivesItsBearerTokenAndIsReadAgainEachTime() throws Exception {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(tokens.resolve("github.token"), "ghp_first\n");
        CredentialProvider provider = provider(Map.of("directory", tokens.toString()));

        assertThat(provider.credentials("github")).contains(new CredentialSet.Bearer("ghp_first"));
        Files.writeString(tokens.resolve("github.token"), "ghp_rotated\n");
        assertThat(provider.credentials("github")).contains(new CredentialSet.Bearer("ghp_rotated"));
        assertThat(provider.credentials("gitlab")).isEmpty();
    }

    @Test
    void aServiceNameCannotLeaveTheDirectory() throws Exception {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(dir.resolve("outside.token"), "secret\n");
        CredentialProvider provider = provider(Map.of("directory", tokens.toString()));

        assertThat(provider.credentials("../outside")).isEmpty();
        assertThat(provider.credentials("Outside")).isEmpty();
    }

    @Test
    void withoutADirectoryItStartsAndHasNothing() {
        assertThat(provider(Map.of()).credentials("github")).isEmpty();
    }

    @Test
    void anUnknownSettingIsRefused() {
        assertThatThrownBy(() -> provider(Map.of("dir", "/tmp"))).hasMessageContaining("unknown setting 'credential.file.dir'");
    }

    @Test
    void theBearerTokenNeverShowsInItsText() throws Exception {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(tokens.resolve("api.token"), "tok_s3cret\n");
        assertThat(provider(Map.of("directory", tokens.toString())).credentials("api").orElseThrow().toString()).doesNotContain("s3cret");
    }
}
