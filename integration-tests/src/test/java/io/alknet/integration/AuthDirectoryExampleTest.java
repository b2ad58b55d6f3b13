package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.call.Json;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The third-party identity provider of examples/auth-directory, loaded from its jar in the plugin directory
 * (never from the class path) into a real server: SSH logins by key fingerprint and HTTP bearer secrets
 * resolve to the directory's accounts and scopes; what the directory does not know falls through to
 * {@code keys}; what it knows and refuses stops there.
 */
class AuthDirectoryExampleTest {

    /** The example plugin built before this module (examples/auth-directory). */
    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "auth-directory", "target", "alknet-example-auth-directory.jar");

    private static final String CAROL_SECRET = "carol-bearer-secret-7f3a";
    private static final String ERIN_SECRET = "erin-bearer-secret-91c2";

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path directory;
    private Path carolKey;
    private Path daveKey;
    private Path erinKey;
    private Path malloryKey;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir); // alice: in authorized_keys, not in the directory
        carolKey = dir.resolve("carol_key");
        KeyPair carol = OpenSshKeys.generate(carolKey, "carol");
        daveKey = dir.resolve("dave_key");
        KeyPair dave = OpenSshKeys.generate(daveKey, "dave");
        erinKey = dir.resolve("erin_key");
        KeyPair erin = OpenSshKeys.generate(erinKey, "erin");
        malloryKey = dir.resolve("mallory_key");
        OpenSshKeys.generate(malloryKey, "mallory");
        directory = dir.resolve("directory");
        Files.writeString(directory, """
                # accounts of the example directory provider
                uid=carol name="Carol Example" scopes=relay:connect,greeter:use keys=%s tokens=%s
                uid=dave scopes=greeter:use keys=%s
                uid=erin scopes=relay:connect,greeter:use keys=%s tokens=%s status=disabled
                """.formatted(OpenSshKeys.fingerprint(carol.getPublic()), sha256(CAROL_SECRET),
                OpenSshKeys.fingerprint(dave.getPublic()),
                OpenSshKeys.fingerprint(erin.getPublic()), sha256(ERIN_SECRET)));
    }

    private static String sha256(String secret) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private AlknetServer start() throws Exception {
        assertThatThrownBy(() -> Class.forName("com.example.authdirectory.DirectoryPlugin"))
                .as("the example must come from the plugin directory, not the class path")
                .isInstanceOf(ClassNotFoundException.class);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        assertThat(EXAMPLE_JAR).as("the example plugin jar (./mvnw -o -f examples/auth-directory/pom.xml install)").exists();
        Files.copy(EXAMPLE_JAR, plugins.resolve("auth-directory.jar"));
        AlknetServer server = Alknet.server(fixture.server()
                .setting("interface.http.listen", "127.0.0.1:0")
                .setting("identity.directory.file", directory.toString())
                .identityProviders(List.of("directory", "keys"))
                .pluginDirectory(plugins)
                .build());
        // an operation that shows who the caller is, for the directory's scope greeter:use
        server.operations().register(Operation.of(OperationSpec.builder("/test/whoami", OperationType.QUERY)
                .requiredScopes("greeter:use").build(),
                (input, context) -> Map.of("id", context.identity().id(), "name", context.identity().name(),
                        "scopes", List.copyOf(new TreeSet<>(context.identity().scopes())))));
        return server;
    }

    private ClientOptions.Builder client(AlknetServer server, Path key, String user) {
        return BuiltIns.client(server.listenAddresses().getFirst())
                .identity(key)
                .user(user)
                .reconnect(ReconnectPolicy.NEVER)
                .stateDirectory(dir.resolve(user + "-state"))
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))));
    }

    private static HttpResponse<String> post(AlknetServer server, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + server.info().get("http.address") + "/v1/call" + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Object await(java.util.concurrent.CompletionStage<Object> call) throws Exception {
        return call.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return fail("it succeeded");
    }

    @Test
    void aKeyInTheDirectoryLogsInWithTheDirectorysScopesAndForwards() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = start();
             AlknetClient carol = Alknet.client(client(server, carolKey, "carol")
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port())).build())) {
            // the identity is the directory's account, not the key's fingerprint
            assertThat(await(carol.calls().call("/test/whoami", Map.of()))).isEqualTo(Map.of(
                    "id", "carol", "name", "Carol Example", "scopes", List.of("greeter:use", "relay:connect")));
            // relay:connect from the directory: a -L forward carries bytes
            InetSocketAddress local = (InetSocketAddress) carol.frontEndAddresses().getFirst().getFirst();
            byte[] payload = Loopback.randomBytes(256 * 1024, 7);
            assertThat(Loopback.roundTrip(local.getPort(), payload)).isEqualTo(payload);
        }
    }

    @Test
    void anAccountWithoutRelayConnectMayCallButNotForward() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = start();
             AlknetClient dave = Alknet.client(client(server, daveKey, "dave").build())) {
            assertThat(await(dave.calls().call("/test/whoami", Map.of())))
                    .isEqualTo(Map.of("id", "dave", "name", "dave", "scopes", List.of("greeter:use")));
            Throwable denied = failureOf(dave.tunnel().openChannel("127.0.0.1", echo.port()));
            assertThat(denied).isInstanceOf(AlknetException.class);
            assertThat(((AlknetException) denied).code()).isEqualTo(ErrorCode.FORWARD_DENIED);
        }
    }

    @Test
    void unknownKeysAreRefusedAndKeysUnknownToTheDirectoryFallThroughToTheNextProvider() throws Exception {
        try (AlknetServer server = start()) {
            // in neither the directory nor authorized_keys
            assertThatThrownBy(() -> Alknet.client(client(server, malloryKey, "mallory").build()))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.AUTH_REJECTED));
            // known to the directory and disabled there: refused, although its scopes would allow everything
            assertThatThrownBy(() -> Alknet.client(client(server, erinKey, "erin").build()))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.AUTH_REJECTED));
            // alice is not in the directory: it answers unknown, and the keys provider logs her in
            try (AlknetClient alice = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER).build())) {
                Throwable denied = failureOf(alice.calls().call("/test/whoami", Map.of()));
                assertThat(denied).isInstanceOf(OperationException.class);
                assertThat(((OperationException) denied).error().code()).isEqualTo(CallError.ACCESS_DENIED);
                assertThat(await(alice.calls().call("/health/ping", Map.of()))).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("pong", true);
            }
        }
    }

    @Test
    void aBearerSecretInTheDirectoryWorksOverHttpAndAWrongOneGets401() throws Exception {
        try (AlknetServer server = start()) {
            HttpResponse<String> ping = post(server, "/health/ping", CAROL_SECRET);
            assertThat(ping.statusCode()).as(ping.body()).isEqualTo(200);
            assertThat(ping.body()).contains("\"pong\"");
            HttpResponse<String> whoami = post(server, "/test/whoami", CAROL_SECRET);
            assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(200);
            assertThat(Json.read(whoami.body())).isEqualTo(Map.of("data",
                    Map.of("id", "carol", "name", "Carol Example", "scopes", List.of("greeter:use", "relay:connect"))));

            HttpResponse<String> wrong = post(server, "/health/ping", CAROL_SECRET + "x");
            assertThat(wrong.statusCode()).isEqualTo(401);
            // the directory answers unknown, so the next provider (keys) has the last word; either way: 401
            assertThat(wrong.body()).contains("ACCESS_DENIED").doesNotContain(CAROL_SECRET);
            assertThat(post(server, "/health/ping", null).statusCode()).isEqualTo(401);
            HttpResponse<String> disabled = post(server, "/health/ping", ERIN_SECRET);
            assertThat(disabled.statusCode()).isEqualTo(401);
            assertThat(disabled.body()).contains("account_disabled").doesNotContain(ERIN_SECRET);

            // the directory is re-read on reload: carol disabled, her secret stops working
            Files.writeString(directory, Files.readString(directory).replace("uid=carol ", "uid=carol status=disabled "));
            server.reload();
            HttpResponse<String> afterReload = post(server, "/health/ping", CAROL_SECRET);
            assertThat(afterReload.statusCode()).isEqualTo(401);
            assertThat(afterReload.body()).contains("account_disabled");
        }
    }

    @Test
    void aMalformedDirectoryFileIsRefusedWithItsLineNumber() throws Exception {
        Files.writeString(directory, "# header\nuid=carol keys=SHA256:not-a-fingerprint\n");
        assertThatThrownBy(this::start)
                .isInstanceOf(AlknetException.class)
                .hasMessageContaining(directory + ":2")
                .hasMessageContaining("not a key fingerprint")
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }
}
