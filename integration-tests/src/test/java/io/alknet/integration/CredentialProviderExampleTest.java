package io.alknet.integration;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.identity.CredentialSet;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A third-party credential provider end to end: the example plugin examples/credentials-file, loaded from the plugin
 * directory, is created by the kernel with its {@code credential.file.*} settings, and an operation's handler gets its
 * tokens through {@code context.env().credentials(service)}.
 */
class CredentialProviderExampleTest {

    /** The example plugin built by the reactor before this module (examples/credentials-file). */
    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "credentials-file", "target", "alknet-example-credentials-file.jar");
    private static final String TOKEN = "ghp_example0123456789";

    @TempDir
    Path dir;

    @Test
    void aHandlerSeesTheCredentialsThePluginProvides() throws Exception {
        assertThatThrownBy(() -> Class.forName("com.example.credentials.FileCredentialsPlugin"))
                .as("the example must come from the plugin directory, not the class path")
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(EXAMPLE_JAR).as("the example plugin jar (built by ./mvnw verify before this module)").exists();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(EXAMPLE_JAR, plugins.resolve("credentials-file.jar"));
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(tokens.resolve("github.token"), TOKEN + "\n");

        Fixture fixture = new Fixture(dir);
        try (AlknetServer server = Alknet.server(fixture.server()
                .pluginDirectory(plugins)
                .setting("credential.file.directory", tokens)
                .build())) {
            // the handler reports what it got, never the token itself
            server.operations().register(Operation.of(OperationSpec.builder("/test/credentials", OperationType.QUERY).build(),
                    (input, context) -> {
                        Map<String, Object> seen = new LinkedHashMap<>();
                        for (String service : new String[] {"github", "gitlab"}) {
                            try {
                                Optional<CredentialSet> credentials = context.env().credentials(service);
                                seen.put(service, credentials.map(set -> set instanceof CredentialSet.Bearer bearer
                                        && bearer.token().equals(TOKEN) ? "the github token" : set.toString()).orElse("none"));
                            } catch (OperationException e) {
                                seen.put(service, e.error().code());
                            }
                        }
                        return seen;
                    }));
            try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                Object answer = client.calls().call("/test/credentials", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS);
                // The secret plugin is on this class path too, locked: github is answered by the example's provider
                // all the same, while gitlab, which nobody else has, might be in the locked store, so the lookup says
                // LOCKED rather than "none"
                assertThat(answer).isEqualTo(Map.of("github", "the github token", "gitlab", "LOCKED"));
            }
        }
    }
}
