package io.alknet.integration;

import com.sun.net.httpserver.HttpServer;
import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationEnv;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.identity.CredentialSet;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.secret.CredentialStore;
import io.alknet.secret.SecretException;
import io.alknet.secret.SecretService;
import io.alknet.secret.SeedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Outbound credentials from the secret service end to end (issue 22): a bearer token added to the encrypted
 * credential store reaches an operation handler through {@code context.env().credentials(service)} once the service
 * is unlocked over the call protocol, the handler calls a real HTTP service on loopback that wants that token, and
 * after Lock the same call fails with {@code LOCKED} instead of calling the service without it; a stopped server locks
 * the service (no seed or credential is left in memory).
 */
class SecretCredentialsTest {

    private static final String TOKEN = "billing-token-0123456789abcdef";
    private static final char[] PASSPHRASE = "open sesame".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aHandlerCallsAnHttpServiceWithTheBearerTokenFromTheStoreWhileUnlockedOnly() throws Exception {
        Fixture fixture = new Fixture(dir);
        Files.writeString(fixture.authorizedKeys, "scopes=\"secrets:admin\" "
                + OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice") + "\n");
        Path state = dir.resolve("state");
        byte[] seed = new byte[64];
        new SecureRandom().nextBytes(seed);
        SeedFile.create(SeedFile.in(state), seed, PASSPHRASE.clone(), new SeedFile.KdfParameters(1024, 1, 1), new SecureRandom());
        try (SecretService secrets = SecretService.forStateDirectory(state, Clock.systemUTC())) {
            secrets.unlock(PASSPHRASE.clone()); // as `alknet credentials add billing --bearer` does
            CredentialStore.in(state).put("billing", new CredentialSet.Bearer(TOKEN), secrets, 0);
        }
        assertThat(Files.readString(CredentialStore.in(state).file())).as("the store holds the token encrypted").doesNotContain(TOKEN);

        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer billing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        billing.createContext("/invoices", exchange -> {
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            authorizations.add(authorization);
            boolean allowed = authorization.equals("Bearer " + TOKEN);
            byte[] body = (allowed ? "3 invoices" : "who are you?").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        billing.start();
        AtomicReference<OperationEnv> handlerEnv = new AtomicReference<>();
        URI invoices = URI.create("http://127.0.0.1:" + billing.getAddress().getPort() + "/invoices");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            server.operations().register(Operation.of(OperationSpec.builder("/test/invoices", OperationType.QUERY).build(),
                    (input, context) -> {
                        handlerEnv.set(context.env());
                        CredentialSet.Bearer bearer = (CredentialSet.Bearer) context.env().credentials("billing").orElseThrow();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(invoices)
                                .header("Authorization", "Bearer " + bearer.token()).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        return Map.of("status", response.statusCode(), "body", response.body());
                    }));
            try (AlknetClient alice = Alknet.client(fixture.client(server).build())) {
                CallError locked = errorOf(alice, "/test/invoices");
                assertThat(locked.code()).as("while locked, before unlock").isEqualTo(SecretException.LOCKED);
                assertThat(authorizations).as("no call without the token").isEmpty();

                assertThat(alice.calls().call("/secret/unlock", Map.of("passphrase", new String(PASSPHRASE)))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(Map.of("state", "unlocked"));
                assertThat(alice.calls().call("/test/invoices", Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .isEqualTo(Map.of("status", 200, "body", "3 invoices"));
                assertThat(authorizations).containsExactly("Bearer " + TOKEN);

                alice.calls().call("/secret/lock", Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(errorOf(alice, "/test/invoices").code()).as("after lock").isEqualTo(SecretException.LOCKED);
                assertThat(authorizations).as("no call after lock").hasSize(1);

                alice.calls().call("/secret/unlock", Map.of("passphrase", new String(PASSPHRASE))).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(handlerEnv.get().credentials("billing")).as("unlocked again").contains(new CredentialSet.Bearer(TOKEN));
            }
            server.close();
            // a stopped server leaves no secret behind: its plugin locked the service the handler's credentials came from
            assertThat(catchThrowableOfType(SecretException.class, () -> handlerEnv.get().credentials("billing")).error().code())
                    .as("after the server stopped").isEqualTo(SecretException.LOCKED);
        } finally {
            billing.stop(0);
        }
    }

    private static CallError errorOf(AlknetClient client, String path) throws Exception {
        ExecutionException failed = catchThrowableOfType(ExecutionException.class,
                () -> client.calls().call(path, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertThat(failed).as("the call to %s failed", path).isNotNull();
        assertThat(failed.getCause()).isInstanceOf(OperationException.class);
        return ((OperationException) failed.getCause()).error();
    }
}
