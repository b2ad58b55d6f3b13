package io.alknet.integration;

import io.alknet.api.call.CallError;
import io.alknet.api.call.CallOptions;
import io.alknet.api.call.EventEnvelope;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.call.PubSub;
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
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The call protocol end to end (issue 7): an operation from a plugin jar loaded from the plugin directory,
 * called over the SSH control channel, raw framing and HTTP; calls in both directions on one connection;
 * cancellation and deadlines; pubsub; malformed frames. Real sockets, a real SSH session, real HTTP.
 */
class CallProtocolTest {

    /** The example plugin built by the reactor before this module (examples/operations). */
    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "operations", "target", "alknet-example-greeter.jar");

    @TempDir
    Path dir;

    private Fixture fixture;
    private KeyPair bob;
    private Path bobKey;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        bobKey = dir.resolve("bob_key");
        bob = OpenSshKeys.generate(bobKey, "bob");
        // alice may greet; bob is a valid user without the scope
        Files.writeString(fixture.authorizedKeys,
                "scopes=\"greeter:use,monitoring:read\" " + OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice") + "\n"
                        + OpenSshKeys.publicKeyLine(bob.getPublic(), "bob") + "\n");
    }

    private ServerOptions.Builder server(Path apiKeys) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        assertThat(EXAMPLE_JAR).as("the example plugin jar (built by ./mvnw verify before the kernel)").exists();
        Files.copy(EXAMPLE_JAR, plugins.resolve("greeter.jar"));
        return fixture.server()
                .listen(new ListenerSpec(TransportAddress.parse("tcp://127.0.0.1:0", 0), "raw"))
                .setting("interface.http.listen", "127.0.0.1:0")
                .setting("identity.apikey.file", apiKeys.toString())
                .identityProviders(List.of("keys", "apikey"))
                .pluginDirectory(plugins);
    }

    private static String token(KeyPair key) {
        return AuthToken.sign(OpenSshKeys.publicKeyBlob(key.getPublic()), key.getPrivate(), Instant.now()).encode();
    }

    private AlknetClient rawClient(AlknetServer server, String credential) {
        TransportAddress raw = server.listenAddresses().get(1);
        return Alknet.client(BuiltIns.client(raw)
                .streamInterface(BuiltIns.RAW)
                .hostKeys(new HostKeyVerification.AcceptAny()) // raw framing has no host key to verify
                .setting("interface.raw.credential", credential)
                .reconnect(ReconnectPolicy.NEVER)
                .stateDirectory(dir.resolve("raw-client"))
                .build());
    }

    private static HttpResponse<String> post(AlknetServer server, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + server.info().get("http.address") + "/v1/call" + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Object await(java.util.concurrent.CompletionStage<Object> call) throws Exception {
        return call.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static CallError errorOf(java.util.concurrent.CompletionStage<?> call) throws Exception {
        try {
            call.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OperationException.class);
            return ((OperationException) e.getCause()).error();
        }
        return fail("the call succeeded");
    }

    @Test
    void aPluginOperationAnswersTheSameOverSshRawAndHttp() throws Exception {
        Path apiKeys = dir.resolve("api_keys");
        String scoped = ApiKeys.create(apiKeys, Set.of("greeter:use"), Optional.empty(), "ci", Clock.systemUTC()).key();
        String unscoped = ApiKeys.create(apiKeys, Set.of("other:thing"), Optional.empty(), "ci", Clock.systemUTC()).key();
        try (AlknetServer server = Alknet.server(server(apiKeys).build());
             AlknetClient ssh = Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build());
             AlknetClient raw = rawClient(server, token(fixture.client))) {
            Map<String, Object> input = Map.of("name", "Ada");
            Object overSsh = await(ssh.calls().call("/greeter/hello", input));
            Object overRaw = await(raw.calls().call("/greeter/hello", input));
            HttpResponse<String> overHttp = post(server, "/greeter/hello", scoped, "{\"name\":\"Ada\"}");

            assertThat(overSsh).isEqualTo(Map.of("message", "Hello, Ada!"));
            assertThat(overRaw).isEqualTo(overSsh);
            assertThat(overHttp.statusCode()).isEqualTo(200);
            assertThat(Json.read(overHttp.body())).isEqualTo(Map.of("data", overSsh));
            // the tunnel still works beside the control channel: the session is one SSH connection
            int socksPort = ((java.net.InetSocketAddress) ssh.frontEndAddresses().getFirst().getFirst()).getPort();
            try (io.alknet.testkit.Loopback.EchoServer echo = new io.alknet.testkit.Loopback.EchoServer();
                 java.net.Socket tunnel = io.alknet.testkit.Socks5Client.connect(socksPort, "127.0.0.1", echo.port())) {
                tunnel.getOutputStream().write("through the tunnel".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(new String(tunnel.getInputStream().readNBytes(18), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("through the tunnel");
            }

            // a declared error code travels unchanged on every path
            assertThat(errorOf(ssh.calls().call("/greeter/hello", Map.of("name", "Mallory"))).code()).isEqualTo("NAME_REFUSED");
            assertThat(errorOf(raw.calls().call("/greeter/hello", Map.of("name", "Mallory"))).code()).isEqualTo("NAME_REFUSED");
            assertThat(post(server, "/greeter/hello", scoped, "{\"name\":\"Mallory\"}").body()).contains("\"NAME_REFUSED\"");

            // invalid input is refused before the handler runs
            assertThat(errorOf(ssh.calls().call("/greeter/hello", Map.of("name", 42))).code()).isEqualTo(CallError.VALIDATION_ERROR);
            assertThat(post(server, "/greeter/hello", scoped, "{}").statusCode()).isEqualTo(400);

            // a subscription streams its results in order
            assertThat(collect(ssh.calls().subscribe("/greeter/countdown", Map.of("from", 5)))).containsExactly(5, 4, 3, 2, 1);

            // the plugin's specs are listed with the built-ins
            assertThat(ssh.calls().operations().toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .extracting(OperationSpec::path).contains("/greeter/hello", "/greeter/countdown", "/health/ping", "/services/list");
        }
    }

    /** RFC 9110 15.5.6: a 405 names the methods the resource takes in an Allow header. */
    @Test
    void aWrongMethodGets405NamingTheRightOneInAnAllowHeader() throws Exception {
        try (AlknetServer server = Alknet.server(fixture.server().setting("interface.http.listen", "127.0.0.1:0").build());
             HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://" + server.info().get("http.address");
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/call/health/ping"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().allValues("Allow")).containsExactly("POST");
            assertThat(get.body()).contains("call an operation with POST");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/ops"))
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().allValues("Allow")).containsExactly("GET");
        }
    }

    @Test
    void xForwardedForCountsOnlyFromAReverseProxyTheOperatorListed() throws Exception {
        try (AlknetServer server = Alknet.server(fixture.server()
                .setting("interface.http.listen", "127.0.0.1:0")
                .setting("interface.http.trusted-proxies", "127.0.0.1")
                .build())) {
            // behind a proxy that appends (nginx's $proxy_add_x_forwarded_for), the left part is the client's to write:
            // the right-most address that is not a trusted proxy counts
            LogCapture.clear();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.info().get("http.address") + "/v1/call/health/ping"))
                    .timeout(Duration.ofSeconds(20)).header("X-Forwarded-For", "203.0.113.66, 198.51.100.7")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            }
            assertThat(LogCapture.matching("auth.failure")).singleElement().satisfies(line -> assertThat(line)
                    .contains("remote_addr=198.51.100.7").doesNotContain("203.0.113.66"));
        }
    }

    @Test
    void anIdentityWithoutTheScopeGetsAccessDeniedOnEveryPath() throws Exception {
        Path apiKeys = dir.resolve("api_keys");
        String unscoped = ApiKeys.create(apiKeys, Set.of("other:thing"), Optional.empty(), "ci", Clock.systemUTC()).key();
        try (AlknetServer server = Alknet.server(server(apiKeys).build());
             AlknetClient ssh = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                     .identity(bobKey).user("bob").stateDirectory(dir.resolve("bob-state"))
                     .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                     .build());
             AlknetClient raw = rawClient(server, token(bob))) {
            CallError overSsh = errorOf(ssh.calls().call("/greeter/hello", Map.of("name", "Ada")));
            CallError overRaw = errorOf(raw.calls().call("/greeter/hello", Map.of("name", "Ada")));
            HttpResponse<String> overHttp = post(server, "/greeter/hello", unscoped, "{\"name\":\"Ada\"}");

            assertThat(overSsh.code()).isEqualTo(CallError.ACCESS_DENIED);
            assertThat(overSsh.message()).contains("greeter:use");
            assertThat(overRaw.code()).isEqualTo(CallError.ACCESS_DENIED);
            assertThat(overHttp.statusCode()).isEqualTo(403);
            assertThat(overHttp.body()).contains("\"ACCESS_DENIED\"");
            // bob is not even shown the operation
            assertThat(ssh.calls().operations().toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .extracting(OperationSpec::path).doesNotContain("/greeter/hello").contains("/health/ping");
            // HTTP without or with a wrong credential: 401, and the audit log names the reason
            assertThat(post(server, "/greeter/hello", null, "{}").statusCode()).isEqualTo(401);
            assertThat(post(server, "/greeter/hello", "alk_notakey_xxxxxxxxxxxxxxxxxxxx", "{}").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aRevokedApiKeyStopsWorkingOnHttpAndRawAfterAReload() throws Exception {
        Path apiKeys = dir.resolve("api_keys");
        String key = ApiKeys.create(apiKeys, Set.of("greeter:use"), Optional.empty(), "ci", Clock.systemUTC()).key();
        assertThat(Files.readString(apiKeys)).as("the file holds hashes only").doesNotContain(key.substring(12));
        try (AlknetServer server = Alknet.server(server(apiKeys).build());
             AlknetClient raw = rawClient(server, key)) {
            assertThat(post(server, "/greeter/hello", key, "{\"name\":\"Ada\"}").statusCode()).isEqualTo(200);
            assertThat(await(raw.calls().call("/greeter/hello", Map.of("name", "Ada")))).isEqualTo(Map.of("message", "Hello, Ada!"));

            assertThat(ApiKeys.revoke(apiKeys, ApiKeys.prefixOf(key))).isTrue();
            server.reload();

            HttpResponse<String> refused = post(server, "/greeter/hello", key, "{\"name\":\"Ada\"}");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(key);
            // the open raw session whose key was revoked is closed, and a new one is refused
            waitUntil(() -> !raw.connected(), "the revoked raw session is closed");
            try (AlknetClient again = rawClient(server, key)) {
                fail("a revoked API key logged in");
            } catch (io.alknet.api.AlknetException expected) {
                assertThat(expected.code()).isEqualTo(io.alknet.api.ErrorCode.AUTH_REJECTED);
            }
        }
    }

    @Test
    void theServerCallsTheClientOnTheSameConnectionWhileTheClientCallsTheServer() throws Exception {
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            server.operations().register(Operation.of(OperationSpec.builder("/head/ask-worker", OperationType.QUERY).build(),
                    (input, context) -> {
                        Object doubled = context.env().invokePeer("/worker/double", input).toCompletableFuture().get(20, TimeUnit.SECONDS);
                        Object local = context.env().invoke("/head/greeting", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS);
                        return Map.of("fromWorker", doubled, "caller", context.identity().name(), "local", local);
                    }));
            // the three dispatch paths: peer (above), local, and a service
            server.provideService(StringBuilder.class, new StringBuilder("from a service"));
            server.operations().register(Operation.of(OperationSpec.builder("/head/greeting", OperationType.QUERY)
                    .requiredScopes("nobody-has-this").build(),
                    (input, context) -> context.env().service(StringBuilder.class).orElseThrow().toString()));
            try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                AtomicInteger workerCalls = new AtomicInteger();
                client.operations().register(Operation.of(OperationSpec.builder("/worker/double", OperationType.QUERY)
                        .input(Map.of("type", "object", "required", List.of("n"))).build(), (input, context) -> {
                            workerCalls.incrementAndGet();
                            return ((Number) ((Map<?, ?>) input).get("n")).intValue() * 2;
                        }));
                Object answer = await(client.calls().call("/head/ask-worker", Map.of("n", 21)));
                // the nested local call is trusted: its scope is not asked of the original caller
                assertThat(answer).isEqualTo(Map.of("fromWorker", 42, "caller", "alice", "local", "from a service"));
                assertThat(errorOf(client.calls().call("/head/greeting", Map.of())).code()).isEqualTo(CallError.ACCESS_DENIED);

                // and the server calls its connected client directly, with no client call in progress
                assertThat(server.peers()).hasSize(1);
                assertThat(await(server.peers().getFirst().call("/worker/double", Map.of("n", 5)))).isEqualTo(10);
                assertThat(workerCalls.get()).isEqualTo(2);
            }
        }
    }

    @Test
    void cancellingACallAbortsItsNestedCallsOnBothSidesAndDeadlinesTimeOut() throws Exception {
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch cancelled = new CountDownLatch(3);
        List<String> sawCancel = Collections.synchronizedList(new ArrayList<>());
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            server.operations().register(Operation.of(OperationSpec.builder("/head/block", OperationType.QUERY).build(),
                    (input, context) -> blockUntilCancelled("server nested", context, started, cancelled, sawCancel)));
            server.operations().register(Operation.of(OperationSpec.builder("/head/chain", OperationType.QUERY).build(),
                    (input, context) -> {
                        context.env().invoke("/head/block", Map.of());
                        context.env().invokePeer("/worker/block", Map.of());
                        return blockUntilCancelled("server top", context, started, cancelled, sawCancel);
                    }));
            CountDownLatch deadlineSeen = new CountDownLatch(1);
            server.operations().register(Operation.of(OperationSpec.builder("/head/slow", OperationType.QUERY).build(),
                    (input, context) -> {
                        context.onCancel(deadlineSeen::countDown);
                        Thread.sleep(20_000);
                        return "too late";
                    }));
            try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                client.operations().register(Operation.of(OperationSpec.builder("/worker/block", OperationType.QUERY).build(),
                        (input, context) -> blockUntilCancelled("client nested", context, started, cancelled, sawCancel)));
                CompletableFuture<Object> chain = client.calls().call("/head/chain", Map.of()).toCompletableFuture();
                assertThat(started.await(20, TimeUnit.SECONDS)).as("all three handlers started").isTrue();
                chain.cancel(true);
                assertThat(cancelled.await(20, TimeUnit.SECONDS)).as("every handler saw the cancellation: " + sawCancel).isTrue();
                assertThat(sawCancel).containsExactlyInAnyOrder("server top", "server nested", "client nested");

                CallError timeout = errorOf(client.calls().call("/head/slow", Map.of(), CallOptions.timeout(Duration.ofMillis(300))));
                assertThat(timeout.code()).isEqualTo(CallError.TIMEOUT);
                assertThat(timeout.retryable()).isTrue();
                assertThat(deadlineSeen.await(20, TimeUnit.SECONDS)).as("the server's handler saw its deadline pass").isTrue();
                // the connection is fine afterwards
                assertThat(await(client.calls().call("/health/ping", Map.of()))).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("pong", true);
            }
        }
    }

    /** Blocks a handler until its call is cancelled, counting starts and cancellations (MeshTest uses it too). */
    static Object blockUntilCancelled(String who, io.alknet.api.call.OperationContext context, CountDownLatch started,
                                              CountDownLatch cancelled, List<String> sawCancel) throws InterruptedException {
        CountDownLatch mine = new CountDownLatch(1);
        context.onCancel(() -> {
            sawCancel.add(who);
            cancelled.countDown();
            mine.countDown();
        });
        started.countDown();
        mine.await(30, TimeUnit.SECONDS);
        return "cancelled";
    }

    @Test
    void aConnectionHoldsAtMostTheAllowedTopicsAndClosingItReleasesThem() throws Exception {
        int max = io.alknet.kernel.internal.call.PubSubHub.MAX_TOPICS_PER_CONNECTION;
        try (AlknetServer server = Alknet.server(fixture.server()
                .listen(new ListenerSpec(TransportAddress.parse("tcp://127.0.0.1:0", 0), "raw")).build())) {
            io.alknet.kernel.internal.call.PubSubHub hub = (io.alknet.kernel.internal.call.PubSubHub) server.pubsub();
            try (CallWire wire = new CallWire(server.listenAddresses().get(1).port())) {
                assertThat(wire.authenticate(token(fixture.client)).get("type")).isEqualTo("auth.ok");
                for (int i = 0; i < max; i++) {
                    wire.send(CallWire.envelope(EventEnvelope.SUBSCRIBE, "topic-" + i, Map.of()));
                }
                wire.send(CallWire.envelope(EventEnvelope.SUBSCRIBE, "topic-0", Map.of())); // held already: fine
                wire.send(CallWire.envelope(EventEnvelope.SUBSCRIBE, "one-too-many", Map.of()));
                Map<String, Object> refused = wire.read();
                assertThat(refused.get("type")).isEqualTo("call.error");
                assertThat(CallWire.payload(refused)).containsEntry("code", "OVERLOADED");
                assertThat((String) CallWire.payload(refused).get("message")).contains("most topics allowed");
                assertThat(hub.subscribers("topic-" + (max - 1))).isEqualTo(1);
                assertThat(hub.subscribers("one-too-many")).isZero();

                // one freed, one more accepted; a name longer than the limit is a protocol error
                wire.send(CallWire.envelope(EventEnvelope.UNSUBSCRIBE, "topic-0", Map.of()));
                wire.send(CallWire.envelope(EventEnvelope.SUBSCRIBE, "one-more", Map.of()));
                wire.send(CallWire.envelope(EventEnvelope.SUBSCRIBE, "t".repeat(1025), Map.of()));
                Map<String, Object> tooLong = wire.read();
                assertThat(CallWire.payload(tooLong)).containsEntry("code", "PROTOCOL_ERROR");
                assertThat((String) CallWire.payload(tooLong).get("message")).contains("at most 1024 characters");
                assertThat(hub.subscribers("one-more")).isEqualTo(1);
                assertThat(hub.subscribers("topic-0")).isZero();
            }
            waitUntil(() -> hub.subscribers("one-more") == 0 && hub.subscribers("topic-1") == 0, "the closed connection's topics released");
        }
    }

    @Test
    void pubsubDeliversEveryEventInOrderAndASlowSubscriberDoesNotStallTheOthers() throws Exception {
        int events = 10_000;
        String padding = "x".repeat(2048);
        try (AlknetServer server = Alknet.server(fixture.server()
                .listen(new ListenerSpec(TransportAddress.parse("tcp://127.0.0.1:0", 0), "raw"))
                .setting("calls.pubsub-buffer", "2000").build());
             AlknetClient first = Alknet.client(fixture.client(server).build());
             AlknetClient second = Alknet.client(fixture.client(server).stateDirectory(dir.resolve("second")).build());
             CallWire slow = new CallWire(server.listenAddresses().get(1).port())) {
            // two publishers: code in the server, and the first client over its connection
            List<List<String>> received = List.of(Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
            List<PubSub.Subscription> subscriptions = List.of(
                    first.pubsub().subscribe("ticks", event -> received.get(0).add(tag(event))),
                    first.pubsub().subscribe("ticks", event -> received.get(1).add(tag(event))),
                    second.pubsub().subscribe("ticks", event -> received.get(2).add(tag(event))));
            assertThat(slow.authenticate(token(fixture.client)).get("type")).isEqualTo("auth.ok");
            slow.send(CallWire.envelope(EventEnvelope.SUBSCRIBE, "ticks", Map.of()));
            // the slow subscriber never reads; the hub must still serve the two fast connections
            io.alknet.kernel.internal.call.PubSubHub hub = (io.alknet.kernel.internal.call.PubSubHub) server.pubsub();
            waitUntil(() -> hub.subscribers("ticks") == 3, "three connections subscribed");

            CompletableFuture<Void> fromServer = CompletableFuture.runAsync(() -> publish(server.pubsub(), "server", events, padding, received));
            CompletableFuture<Void> fromClient = CompletableFuture.runAsync(() -> publish(first.pubsub(), "client", events, padding, received));
            CompletableFuture.allOf(fromServer, fromClient).get(120, TimeUnit.SECONDS);
            waitUntil(() -> received.stream().allMatch(list -> list.size() == 2 * events), "every fast subscriber got every event");
            for (List<String> list : received) {
                for (String publisher : List.of("server", "client")) {
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < events; i++) {
                        expected.add(publisher + ":" + i);
                    }
                    assertThat(list.stream().filter(tag -> tag.startsWith(publisher + ":")).toList())
                            .as("events of the %s publisher, in publish order", publisher).isEqualTo(expected);
                }
            }

            // the slow subscriber wakes up: it reads what was kept for it, in order, then learns how many it lost
            List<Map<String, Object>> late = Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        late.add(slow.read());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            int seen = -1;
            while (seen != late.size()) {
                seen = late.size();
                Thread.sleep(500);
            }
            server.pubsub().publish("ticks", "tick", Map.of("n", events, "pad", "", "from", "server"));
            waitUntil(() -> !late.isEmpty() && !late.getLast().get("type").equals(PubSub.DROPPED)
                    && number(late.getLast()) == events, "the slow subscriber got the last event");
            Map<Object, Integer> last = new java.util.HashMap<>();
            long dropped = 0;
            for (Map<String, Object> envelope : List.copyOf(late)) {
                if (envelope.get("type").equals(PubSub.DROPPED)) {
                    dropped += ((Number) CallWire.payload(envelope).get("dropped")).longValue();
                    continue;
                }
                int n = number(envelope);
                Object from = CallWire.payload(envelope).get("from");
                assertThat(n).as("order of %s's events", from).isGreaterThan(last.getOrDefault(from, -1));
                last.put(from, n);
            }
            assertThat(late.getLast().get("type")).isEqualTo("tick");
            assertThat(late.get(late.size() - 2).get("type")).as("the notice comes right before the next event").isEqualTo(PubSub.DROPPED);
            assertThat(dropped + late.size() - 1).as("every event was either delivered or counted as dropped").isEqualTo(2 * events + 1);
            assertThat(dropped).as("events the slow subscriber lost").isPositive();
            subscriptions.forEach(PubSub.Subscription::close);
            slow.close();
            reader.join(5000);
        }
    }

    private static String tag(EventEnvelope event) {
        Map<?, ?> payload = (Map<?, ?>) event.payload();
        return payload.get("from") + ":" + payload.get("n");
    }

    /** Publishes {@code events} events, pacing itself to what the live subscribers take. */
    private static void publish(PubSub pubsub, String from, int events, String padding, List<List<String>> received) {
        try {
            for (int i = 0; i < events; i++) {
                pubsub.publish("ticks", "tick", Map.of("n", i, "pad", padding, "from", from));
                if (i % 250 == 249) {
                    String marker = from + ":" + (i - 249);
                    waitUntil(() -> received.stream().allMatch(list -> list.contains(marker)), "fast subscribers keep up with " + from);
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int number(Map<String, Object> envelope) {
        return ((Number) CallWire.payload(envelope).get("n")).intValue();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aRawConnectionGetsOneAuthAttemptEvenWhenFramesArePipelined() throws Exception {
        try (AlknetServer server = Alknet.server(fixture.server()
                .listen(new ListenerSpec(TransportAddress.parse("tcp://127.0.0.1:0", 0), "raw")).build());
             CallWire wire = new CallWire(server.listenAddresses().get(1).port())) {
            // a wrong credential and the right one in one write: the second must not count as another try
            java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
            for (String token : List.of("alk_nothere_0000000000000000000000000000", token(fixture.client))) {
                byte[] body = Json.write(CallWire.envelope("auth", "", Map.of("token", token)));
                both.write(java.nio.ByteBuffer.allocate(4).putInt(body.length).array());
                both.write(body);
            }
            wire.raw(both.toByteArray());
            assertThat(wire.read().get("type")).isEqualTo("auth.failed");
            assertThat(wire.atEnd()).as("closed after the one failed attempt, no auth.ok").isTrue();
        }
    }

    @Test
    void malformedFramesGetProtocolErrorsAndNeverHurtOtherCallsOrTheServer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (AlknetServer server = Alknet.server(fixture.server()
                .listen(new ListenerSpec(TransportAddress.parse("tcp://127.0.0.1:0", 0), "raw")).build())) {
            server.operations().register(Operation.of(OperationSpec.builder("/test/wait", OperationType.QUERY).build(),
                    (input, context) -> {
                        release.await(30, TimeUnit.SECONDS);
                        return "released";
                    }));
            try (CallWire wire = new CallWire(server.listenAddresses().get(1).port())) {
                assertThat(wire.authenticate(token(fixture.client)).get("type")).isEqualTo("auth.ok");
                wire.send(CallWire.call("A", "/test/wait", Map.of()));

                // 1. an oversized length prefix: the body is skipped, not buffered
                byte[] huge = new byte[2 * 1024 * 1024 + 10];
                wire.frame(huge);
                assertProtocolError(wire.read(), "", "exceeds the limit");

                // 2. invalid JSON
                wire.frame("{\"type\": \"call.requested\", ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertProtocolError(wire.read(), "", "invalid JSON");

                // 3. an unknown kind
                wire.send(CallWire.envelope("call.bogus", "B", Map.of("requestId", "B")));
                assertProtocolError(wire.read(), "B", "unknown envelope type");

                // 4. a duplicate correlation id while call A runs
                wire.send(CallWire.call("A", "/health/ping", Map.of()));
                assertProtocolError(wire.read(), "A", "duplicate request id");

                // not an envelope at all, and an envelope without an id
                wire.send(List.of(1, 2, 3));
                assertProtocolError(wire.read(), "", "must be a JSON object");
                wire.send(Map.of("type", "call.requested", "payload", Map.of()));
                assertProtocolError(wire.read(), "", "string 'id'");

                // the connection still serves calls, and call A was never touched
                wire.send(CallWire.call("P", "/health/ping", Map.of()));
                Map<String, Object> ping = wire.read();
                assertThat(ping.get("type")).isEqualTo("call.responded");
                assertThat(ping.get("id")).isEqualTo("P");
                release.countDown();
                Map<String, Object> answerA = wire.read();
                assertThat(answerA.get("type")).isEqualTo("call.responded");
                assertThat(answerA.get("id")).isEqualTo("A");
                assertThat(CallWire.payload(answerA).get("output")).isEqualTo(Map.of("data", "released", "meta", Map.of("source", "local")));

                // 5. a truncated frame: the stream ends inside it
                wire.raw(new byte[] {0, 0, 0, 100, '{', '"', 't'});
                wire.shutdownOutput();
                assertProtocolError(wire.read(), "", "truncated frame");
                assertThat(wire.atEnd()).isTrue();
            }
            // the server is unharmed: a new session calls as before
            try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                assertThat(await(client.calls().call("/test/wait", Map.of()))).isEqualTo("released");
            }
        }
    }

    private static void assertProtocolError(Map<String, Object> envelope, String requestId, String reason) {
        assertThat(envelope.get("type")).as("envelope %s", envelope).isEqualTo("call.error");
        assertThat(envelope.get("id")).isEqualTo(requestId);
        assertThat(CallWire.payload(envelope).get("code")).isEqualTo(CallError.PROTOCOL_ERROR);
        assertThat((String) CallWire.payload(envelope).get("message")).contains(reason);
    }

    private static List<Object> collect(Flow.Publisher<Object> publisher) throws Exception {
        CompletableFuture<List<Object>> done = new CompletableFuture<>();
        List<Object> items = Collections.synchronizedList(new ArrayList<>());
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Object item) {
                items.add(item);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(List.copyOf(items));
            }
        });
        return done.get(20, TimeUnit.SECONDS);
    }
}
