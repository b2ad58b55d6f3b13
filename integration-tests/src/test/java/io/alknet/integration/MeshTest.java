package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.identity.AuthToken;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.auth.apikey.ApiKeys;
import io.alknet.call.Json;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.ReconnectPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Head and workers (issue 24): two workers register their operations with a head; a client reaches them through the
 * head as /w1/… and /w2/… over SSH, raw framing and HTTP; a worker that goes away fails its in-flight calls at once and
 * loses its routes; a handler on one worker calls the other with env.invoke, and a cancel at the top aborts the tree on
 * every node, as the head's flowgraph shows. Real sockets, real SSH sessions, real HTTP, all on loopback.
 */
class MeshTest {

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path w1Key;
    private Path w2Key;
    private Path intruderKey;
    private Path apiKeys;
    private String apiKey;
    private AlknetServer head;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void head() throws Exception {
        fixture = new Fixture(dir);
        w1Key = dir.resolve("w1_key");
        w2Key = dir.resolve("w2_key");
        Path w3Key = dir.resolve("w3_key");
        intruderKey = dir.resolve("intruder_key");
        KeyPair w1 = OpenSshKeys.generate(w1Key, "w1");
        KeyPair w2 = OpenSshKeys.generate(w2Key, "w2");
        KeyPair w3 = OpenSshKeys.generate(w3Key, "w3");
        KeyPair intruder = OpenSshKeys.generate(intruderKey, "intruder");
        // workers may register and nothing else; alice may use the mesh's operations and read the flowgraph
        Files.writeString(fixture.authorizedKeys,
                "scopes=\"mesh:use,monitoring:read\" " + OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice") + "\n"
                        + "scopes=\"node:register\" " + OpenSshKeys.publicKeyLine(w1.getPublic(), "w1") + "\n"
                        + "scopes=\"node:register\" " + OpenSshKeys.publicKeyLine(w2.getPublic(), "w2") + "\n"
                        + "scopes=\"node:register\" " + OpenSshKeys.publicKeyLine(w3.getPublic(), "w3") + "\n"
                        + "scopes=\"mesh:use\" " + OpenSshKeys.publicKeyLine(intruder.getPublic(), "intruder") + "\n");
        apiKeys = dir.resolve("api_keys");
        apiKey = ApiKeys.create(apiKeys, Set.of("mesh:use"), Optional.empty(), "ci", Clock.systemUTC()).key();
        head = Alknet.server(fixture.server()
                .listen(new ListenerSpec(TransportAddress.parse("tcp://127.0.0.1:0", 0), "raw"))
                .setting("interface.http.listen", "127.0.0.1:0")
                .setting("identity.apikey.file", apiKeys.toString())
                .identityProviders(List.of("keys", "apikey"))
                .build());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
        head.close();
    }

    private AlknetClient worker(String alias, Path key) {
        AlknetClient worker = Alknet.client(BuiltIns.client(head.listenAddresses().getFirst()).identity(key).user(alias)
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                .setting(KernelSettings.WORKER, alias)
                .reconnect(ReconnectPolicy.NEVER)
                .gracePeriod(Duration.ZERO)
                .stateDirectory(dir.resolve(alias + "-state"))
                .build());
        open.add(worker);
        return worker;
    }

    /** A client logged in as alice, over SSH. */
    private AlknetClient alice() {
        AlknetClient client = Alknet.client(fixture.client(head).reconnect(ReconnectPolicy.NEVER).build());
        open.add(client);
        return client;
    }

    private AlknetClient aliceOverRaw() {
        AlknetClient client = Alknet.client(BuiltIns.client(head.listenAddresses().get(1))
                .streamInterface(BuiltIns.RAW)
                .hostKeys(new HostKeyVerification.AcceptAny()) // raw framing has no host key to verify
                .setting("interface.raw.credential", AuthToken.sign(OpenSshKeys.publicKeyBlob(fixture.client.getPublic()),
                        fixture.client.getPrivate(), Instant.now()).encode())
                .reconnect(ReconnectPolicy.NEVER)
                .stateDirectory(dir.resolve("raw-client"))
                .build());
        open.add(client);
        return client;
    }

    private static OperationSpec spec(String path) {
        return OperationSpec.builder(path, OperationType.QUERY).requiredScopes("mesh:use").build();
    }

    private static void serveEcho(AlknetClient worker) {
        worker.operations().register(Operation.of(spec("/echo"), (input, context) ->
                Map.of("echo", input, "caller", context.identity().name())));
    }

    private static void serveSum(AlknetClient worker) {
        worker.operations().register(Operation.of(OperationSpec.builder("/sum", OperationType.QUERY).requiredScopes("mesh:use")
                .input(Map.of("type", "object", "required", List.of("a", "b"))).build(), (input, context) -> {
                    Map<?, ?> numbers = (Map<?, ?>) input;
                    return ((Number) numbers.get("a")).intValue() + ((Number) numbers.get("b")).intValue();
                }));
    }

    private static Object await(CompletionStage<Object> call) throws Exception {
        return call.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static CallError errorOf(CompletionStage<?> call) throws Exception {
        try {
            call.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OperationException.class);
            return ((OperationException) e.getCause()).error();
        }
        return fail("the call succeeded");
    }

    /** Until the head lists {@code path} to alice (registration is asynchronous after a worker's start). */
    private static void awaitListed(AlknetClient client, String path, boolean listed) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            List<String> paths = client.calls().operations().toCompletableFuture().get(20, TimeUnit.SECONDS).stream()
                    .map(OperationSpec::path).toList();
            if (paths.contains(path) == listed) {
                return;
            }
            Thread.sleep(20);
        }
        fail(path + (listed ? " never appeared" : " never went away") + " in the head's /services/list");
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + head.info().get("http.address") + "/v1/call" + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void callersReachBothWorkersThroughTheHeadOverSshRawAndHttpAndALostWorkerFailsItsCallsAtOnce() throws Exception {
        String key = apiKey;
        AlknetClient w1 = worker("w1", w1Key);
        CountDownLatch blocking = new CountDownLatch(1);
        w1.operations().register(Operation.of(spec("/block"), (input, context) -> {
            blocking.countDown();
            Thread.sleep(60_000);
            return "never";
        }));
        serveEcho(w1);
        AlknetClient w2 = worker("w2", w2Key);
        serveSum(w2);
        AlknetClient ssh = alice();
        AlknetClient raw = aliceOverRaw();
        awaitListed(ssh, "/w1/echo", true);
        awaitListed(ssh, "/w2/sum", true);

        Map<String, Object> echoed = Map.of("echo", Map.of("text", "hi"), "caller", "alice");
        // the caller's identity travels: w1 checks alice's scopes again and sees her as the caller
        assertThat(await(ssh.calls().call("/w1/echo", Map.of("text", "hi")))).isEqualTo(echoed);
        assertThat(await(raw.calls().call("/w1/echo", Map.of("text", "hi")))).isEqualTo(echoed);
        assertThat(await(ssh.calls().call("/w2/sum", Map.of("a", 2, "b", 3)))).isEqualTo(5);
        assertThat(await(raw.calls().call("/w2/sum", Map.of("a", 4, "b", 5)))).isEqualTo(9);
        HttpResponse<String> overHttp = post("/w2/sum", key, "{\"a\":20,\"b\":22}");
        assertThat(overHttp.statusCode()).isEqualTo(200);
        assertThat(Json.read(overHttp.body())).isEqualTo(Map.of("data", 42));
        assertThat(Json.read(post("/w1/echo", key, "{}").body())).isEqualTo(Map.of("data", Map.of("echo", Map.of(), "caller", "ci")));
        // the worker's input schema is enforced at the worker
        assertThat(errorOf(ssh.calls().call("/w2/sum", Map.of("a", 1))).code()).isEqualTo(CallError.VALIDATION_ERROR);

        // w1 goes away with a call in flight: the call fails at once, naming the node, and w1's routes go
        CompletableFuture<Object> inFlight = ssh.calls().call("/w1/block", Map.of()).toCompletableFuture();
        assertThat(blocking.await(20, TimeUnit.SECONDS)).isTrue();
        w1.close();
        CallError lost = errorOf(inFlight);
        assertThat(lost.code()).isEqualTo(CallError.ABORTED);
        assertThat(lost.message()).contains("node w1 disconnected");
        assertThat(lost.retryable()).isTrue();
        awaitListed(ssh, "/w1/echo", false);
        CallError gone = errorOf(ssh.calls().call("/w1/echo", Map.of()));
        assertThat(gone.code()).isEqualTo(CallError.OPERATION_NOT_FOUND);
        assertThat(gone.message()).contains("no node 'w1'").contains("nodes: w2");
        assertThat(await(raw.calls().call("/w2/sum", Map.of("a", 1, "b", 1)))).isEqualTo(2);

        // w1 comes back under the same alias and serves again
        AlknetClient again = worker("w1", w1Key);
        serveEcho(again);
        awaitListed(ssh, "/w1/echo", true);
        assertThat(await(ssh.calls().call("/w1/echo", Map.of("text", "hi")))).isEqualTo(echoed);
    }

    /** A worker in its own JVM (MeshWorkerMain); its standard output is read line by line. */
    private Process workerProcess(String alias, Path key) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), MeshWorkerMain.class.getName(),
                head.listenAddresses().getFirst().toString(), OpenSshKeys.fingerprint(fixture.host.getPublic()), key.toString(), alias,
                dir.resolve(alias + "-process-state").toString());
        builder.redirectError(dir.resolve(alias + "-" + System.nanoTime() + ".err").toFile());
        Process process = builder.start();
        open.add(() -> process.destroyForcibly().waitFor(20, TimeUnit.SECONDS));
        return process;
    }

    /** The process id a worker process's /echo answers with. */
    private static long pid(Object answer) {
        return ((Number) ((Map<?, ?>) answer).get("pid")).longValue();
    }

    @Test
    void workersInTheirOwnProcessesServeThroughTheHeadAndAKilledOneFailsItsInFlightCallAtOnce() throws Exception {
        Process w1 = workerProcess("w1", w1Key);
        Process w2 = workerProcess("w2", w2Key);
        AlknetClient ssh = alice();
        awaitListed(ssh, "/w1/block", true);
        awaitListed(ssh, "/w2/echo", true);
        Map<?, ?> fromW1 = (Map<?, ?>) await(ssh.calls().call("/w1/echo", Map.of()));
        assertThat(pid(fromW1)).isEqualTo(w1.pid());
        assertThat(fromW1.get("caller")).isEqualTo("alice");
        assertThat(pid(await(ssh.calls().call("/w2/echo", Map.of())))).isEqualTo(w2.pid());

        CompletableFuture<Object> inFlight = ssh.calls().call("/w1/block", Map.of()).toCompletableFuture();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(w1.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(CompletableFuture.supplyAsync(() -> out.lines().anyMatch("blocking"::equals)).get(20, TimeUnit.SECONDS)).isTrue();
        w1.destroyForcibly(); // SIGKILL: no goodbye, the kernel closes its sockets
        CallError lost = errorOf(inFlight);
        assertThat(lost.code()).isEqualTo(CallError.ABORTED);
        assertThat(lost.message()).contains("node w1 disconnected");
        awaitListed(ssh, "/w1/echo", false);
        assertThat(pid(await(ssh.calls().call("/w2/echo", Map.of())))).isEqualTo(w2.pid());

        Process restarted = workerProcess("w1", w1Key);
        awaitListed(ssh, "/w1/echo", true);
        assertThat(pid(await(ssh.calls().call("/w1/echo", Map.of())))).isEqualTo(restarted.pid());
    }

    @Test
    void anUnauthorizedWorkerADuplicateAliasAndAnUnknownNodeEachGetOneClearErrorAndTheHeadKeepsServing() throws Exception {
        AlknetClient w2 = worker("w2", w2Key);
        serveSum(w2);
        AlknetClient ssh = alice();
        awaitListed(ssh, "/w2/sum", true);

        assertThatThrownBy(() -> worker("w1", intruderKey)).isInstanceOf(AlknetException.class)
                .hasMessageContaining("refused this worker's registration").hasMessageContaining(CallError.ACCESS_DENIED)
                .hasMessageContaining("node:register");
        assertThatThrownBy(() -> worker("w2", dir.resolve("w3_key"))).isInstanceOf(AlknetException.class)
                .hasMessageContaining("CONFLICT").hasMessageContaining("alias 'w2' is registered by another connection");
        assertThatThrownBy(() -> worker("services", dir.resolve("w3_key"))).isInstanceOf(AlknetException.class)
                .hasMessageContaining("CONFLICT").hasMessageContaining("names a service of this head");
        CallError unknown = errorOf(ssh.calls().call("/w9/echo", Map.of()));
        assertThat(unknown.code()).isEqualTo(CallError.OPERATION_NOT_FOUND);
        assertThat(unknown.message()).isEqualTo("no operation /w9/echo: no local operation has that path and no node 'w9' is "
                + "registered here (nodes: w2)");
        CallError noSuchOperation = errorOf(ssh.calls().call("/w2/nope", Map.of()));
        assertThat(noSuchOperation.message()).isEqualTo("node w2 registered no operation /nope");
        // alice may not register, over any path: the head checks the scope
        assertThat(errorOf(ssh.calls().call("/head/services/register", Map.of("node", "x", "operations", List.of()))).code())
                .isEqualTo(CallError.ACCESS_DENIED);

        assertThat(await(ssh.calls().call("/w2/sum", Map.of("a", 2, "b", 2)))).isEqualTo(4);
        assertThat(await(ssh.calls().call("/services/list", Map.of()))).asString().contains("/w2/sum").doesNotContain("/w1/");
    }

    @Test
    void aHandlerOnOneWorkerCallsTheOtherWithEnvInvokeAndACancelAtTheTopAbortsTheTreeOnEveryNode() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch cancelled = new CountDownLatch(2);
        List<String> sawCancel = Collections.synchronizedList(new ArrayList<>());
        AlknetClient w2 = worker("w2", w2Key);
        serveSum(w2);
        w2.operations().register(Operation.of(spec("/block"),
                (input, context) -> CallProtocolTest.blockUntilCancelled("w2 block", context, started, cancelled, sawCancel)));
        AlknetClient w1 = worker("w1", w1Key);
        // the handler names /w2/...: it neither knows nor says that w2 is another node, reached through the head
        w1.operations().register(Operation.of(spec("/add-twice"), (input, context) -> {
            Object once = context.env().invoke("/w2/sum", Map.of("a", 1, "b", 2)).toCompletableFuture().get(20, TimeUnit.SECONDS);
            return context.env().invoke("/w2/sum", Map.of("a", once, "b", once)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }));
        w1.operations().register(Operation.of(spec("/chain"), (input, context) -> {
            context.env().invoke("/w2/block", Map.of());
            return CallProtocolTest.blockUntilCancelled("w1 chain", context, started, cancelled, sawCancel);
        }));
        AlknetClient ssh = alice();
        awaitListed(ssh, "/w1/chain", true);
        awaitListed(ssh, "/w2/block", true);

        assertThat(await(ssh.calls().call("/w1/add-twice", Map.of()))).isEqualTo(6);

        CompletableFuture<Object> chain = ssh.calls().call("/w1/chain", Map.of()).toCompletableFuture();
        assertThat(started.await(20, TimeUnit.SECONDS)).as("both handlers started").isTrue();
        chain.cancel(true);
        assertThat(cancelled.await(20, TimeUnit.SECONDS)).as("both handlers saw the cancellation: " + sawCancel).isTrue();
        assertThat(sawCancel).containsExactlyInAnyOrder("w1 chain", "w2 block");

        // the head's flowgraph holds the whole tree: alice's call, the hop to w1, w1's call back in, the hop to w2
        Map<?, ?> tree = flowTree(ssh, "/w1/chain");
        List<String> shape = new ArrayList<>();
        for (Object call : (List<?>) tree.get("calls")) {
            Map<?, ?> node = (Map<?, ?>) call;
            shape.add(node.get("operation") + "=" + node.get("status"));
        }
        assertThat(shape).containsExactly("/w1/chain=aborted", "w1:/chain=aborted", "/w2/block=aborted", "w2:/block=aborted");
        assertThat((List<?>) tree.get("edges")).hasSize(3);
    }

    /** The head's tree of the latest call to {@code operation}, as /flow/calls shows it once every node ended. */
    private static Map<?, ?> flowTree(AlknetClient client, String operation) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Map<?, ?> tree = Map.of();
        while (System.nanoTime() < until) {
            Map<?, ?> latest = (Map<?, ?>) await(client.calls().call("/flow/calls", Map.of()));
            String root = ((List<?>) latest.get("calls")).stream().map(call -> (Map<?, ?>) call)
                    .filter(call -> call.get("operation").equals(operation)).map(call -> (String) call.get("requestId"))
                    .findFirst().orElseThrow();
            tree = (Map<?, ?>) await(client.calls().call("/flow/calls", Map.of("id", root)));
            if (((List<?>) tree.get("calls")).size() == 4
                    && ((List<?>) tree.get("calls")).stream().noneMatch(call -> "running".equals(((Map<?, ?>) call).get("status")))) {
                return tree;
            }
            Thread.sleep(20);
        }
        return tree;
    }
}
