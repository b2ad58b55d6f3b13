package com.example.embedding;

import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationException;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Runs the example's code path on real loopback sockets and checks what it observed. */
class EmbeddingExampleTest {

    @TempDir
    Path dir;

    @Test
    void theApplicationCallsItsOperationTunnelsBytesAndShutsDownCleanly() throws Exception {
        EmbeddingExample.Result result = EmbeddingExample.run(dir);

        assertThat(result.greeting()).isEqualTo(Map.of("message", "Hello, embedder!", "caller", "embedding-app"));
        assertThat(result.serverFingerprint()).startsWith("SHA256:");
        assertThat(result.sessionsWhileUp()).isEqualTo(1);
        assertThat(new String(result.channelEcho(), StandardCharsets.UTF_8)).isEqualTo("through a channel");
        assertThat(new String(result.forwardEcho(), StandardCharsets.UTF_8)).isEqualTo("through a -L forward");
        assertThat(result.clientConnectedAfterClose()).isFalse();
        assertThat(result.stop()).isEqualTo(AlknetServer.StopResult.GRACEFUL);
    }

    @Test
    void theOperationEnforcesItsSchemaScopeAndDeclaredError() throws Exception {
        Path hostKeyFile = dir.resolve("host_key");
        KeyPair host = OpenSshKeys.generate(hostKeyFile, "host");
        Path scopedKey = dir.resolve("scoped");
        Path plainKey = dir.resolve("plain");
        KeyPair scoped = OpenSshKeys.generate(scopedKey, "scoped");
        KeyPair plain = OpenSshKeys.generate(plainKey, "plain");
        Path authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, "scopes=\"" + EmbeddingExample.SCOPE + "\" " + OpenSshKeys.publicKeyLine(scoped.getPublic(), "scoped")
                + "\n" + OpenSshKeys.publicKeyLine(plain.getPublic(), "plain") + "\n");
        try (AlknetServer server = Alknet.server(BuiltIns.server().listen(BuiltIns.ssh("tcp://127.0.0.1:0")).setting(BuiltIns.HOST_KEY, hostKeyFile)
                .setting(BuiltIns.AUTHORIZED_KEYS, authorizedKeys).stateDirectory(dir.resolve("server-state")).build())) {
            server.operations().register(io.alknet.api.call.Operation.of(EmbeddingExample.greetSpec(), EmbeddingExample::greet));
            try (AlknetClient withScope = client(server, host, scopedKey, "scoped");
                 AlknetClient withoutScope = client(server, host, plainKey, "plain")) {
                assertThat(errorOf(withScope, Map.of("name", 42)).code()).isEqualTo(CallError.VALIDATION_ERROR);
                assertThat(errorOf(withoutScope, Map.of("name", "x")).code()).isEqualTo(CallError.ACCESS_DENIED);
                assertThat(errorOf(withScope, Map.of("name", "nobody")).code()).isEqualTo("NAME_REFUSED");
                assertThat(withScope.calls().call(EmbeddingExample.GREET, Map.of("name", "x")).toCompletableFuture().get(20, TimeUnit.SECONDS))
                        .isEqualTo(Map.of("message", "Hello, x!", "caller", "scoped"));
            }
        }
    }

    @Test
    void mainPrintsWhatItDid() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmbeddingExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("operation answered:  {")
                .contains("Hello, embedder!")
                .contains("channel echoed:      through a channel")
                .contains("-L forward echoed:   through a -L forward")
                .contains("server stopped:      GRACEFUL");
    }

    private AlknetClient client(AlknetServer server, KeyPair host, Path key, String user) {
        return Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                .identity(key).user(user).reconnect(ReconnectPolicy.NEVER)
                .stateDirectory(dir.resolve(user + "-state"))
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(host.getPublic()))))
                .build());
    }

    private static CallError errorOf(AlknetClient client, Map<String, Object> input) throws Exception {
        try {
            client.calls().call(EmbeddingExample.GREET, input).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OperationException.class);
            return ((OperationException) e.getCause()).error();
        }
        return fail("the call succeeded");
    }
}
