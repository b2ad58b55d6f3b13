package com.example.embedding;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An application that embeds alknet through its embedding API ({@link Alknet}): in one process it
 * <ol>
 *   <li>generates an SSH host key and a client key ({@link OpenSshKeys#generate}) and authorizes the client key
 *       with the scope {@value #SCOPE};</li>
 *   <li>starts a server on a free loopback port ({@link ServerOptions}, {@link Alknet#server}) and registers an
 *       operation on it ({@code server.operations().register(Operation.of(spec, handler))});</li>
 *   <li>starts a client ({@link ClientOptions}, {@link Alknet#client}) that pins the server's host key and runs a
 *       {@code -L} forward to a small echo service;</li>
 *   <li>calls the operation ({@code client.calls().call(path, input)}), sends bytes through a tunnel channel it
 *       opens in code ({@code client.tunnel().openChannel(host, port)}) and through the {@code -L} forward;</li>
 *   <li>shuts the client and the server down.</li>
 * </ol>
 * The plugins it uses (tcp transport, SSH interface, {@code keys} provider, {@code rules} policy, local-forward
 * front end) are ordinary dependencies: {@link Alknet} finds them on the class path with {@link java.util.ServiceLoader}.
 *
 * <p>Run it with {@code java -cp … com.example.embedding.EmbeddingExample}; {@code EmbeddingExampleTest} runs the
 * same {@link #run(Path)} and checks what it returns.
 */
public final class EmbeddingExample {

    /** The scope the operation requires; the client's key gets it in authorized_keys. */
    public static final String SCOPE = "demo:use";

    /** The operation the application serves. */
    public static final String GREET = "/demo/greet";

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private EmbeddingExample() {
    }

    /**
     * What one run observed.
     *
     * @param greeting          what the operation answered the client
     * @param serverFingerprint the server's host key fingerprint, as the client pinned it
     * @param sessionsWhileUp   the server's open sessions while the client was connected
     * @param channelEcho       what came back through the channel opened with {@code tunnel().openChannel}
     * @param forwardEcho       what came back through the {@code -L} forward
     * @param clientConnectedAfterClose whether the client still reported a session after {@code close()}
     * @param stop              how the server's shutdown ended
     */
    public record Result(Object greeting, String serverFingerprint, int sessionsWhileUp, byte[] channelEcho,
                         byte[] forwardEcho, boolean clientConnectedAfterClose, AlknetServer.StopResult stop) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("alknet-embedding");
        try {
            Result result = run(work);
            System.out.println("server host key:     " + result.serverFingerprint());
            System.out.println("operation answered:  " + result.greeting());
            System.out.println("channel echoed:      " + new String(result.channelEcho(), StandardCharsets.UTF_8));
            System.out.println("-L forward echoed:   " + new String(result.forwardEcho(), StandardCharsets.UTF_8));
            System.out.println("server stopped:      " + result.stop());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Runs the whole example in {@code work} (keys, authorized_keys, state directories) on loopback sockets
     * with ports chosen by the system.
     */
    public static Result run(Path work) throws Exception {
        // 1. keys: the server's host key, and the application's own client key, authorized with a scope
        Path hostKeyFile = work.resolve("host_key");
        Path clientKeyFile = work.resolve("client_key");
        Path authorizedKeys = work.resolve("authorized_keys");
        KeyPair hostKey = OpenSshKeys.generate(hostKeyFile, "embedding-host");
        KeyPair clientKey = OpenSshKeys.generate(clientKeyFile, "embedding-app");
        Files.writeString(authorizedKeys,
                "scopes=\"" + SCOPE + "\" " + OpenSshKeys.publicKeyLine(clientKey.getPublic(), "embedding-app") + "\n");
        String hostFingerprint = OpenSshKeys.fingerprint(hostKey.getPublic());

        try (EchoService echo = new EchoService();
             // 2. the server: SSH over tcp on a free loopback port, keys from authorized_keys
             AlknetServer server = Alknet.server(BuiltIns.server()
                     .listen(BuiltIns.ssh("tcp://127.0.0.1:0"))
                     .setting(BuiltIns.HOST_KEY, hostKeyFile)
                     .setting(BuiltIns.AUTHORIZED_KEYS, authorizedKeys)
                     .stateDirectory(work.resolve("server-state"))
                     .build())) {
            server.operations().register(Operation.of(greetSpec(), EmbeddingExample::greet));

            Object greeting;
            int sessionsWhileUp;
            byte[] channelEcho;
            byte[] forwardEcho;
            AlknetClient closed;
            // 3. the client: pins the host key, logs in with the client key, and runs a -L forward to the echo service
            try (AlknetClient client = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                    .identity(clientKeyFile)
                    .user("embedding-app")
                    .hostKeys(new HostKeyVerification.Pinned(List.of(hostFingerprint)))
                    .frontEnd(BuiltIns.localForward("127.0.0.1:0:127.0.0.1:" + echo.port()))
                    .reconnect(ReconnectPolicy.NEVER)
                    .stateDirectory(work.resolve("client-state"))
                    .build())) {
                closed = client;
                sessionsWhileUp = server.sessionCount();

                // 4a. a call to the server's operation
                greeting = client.calls().call(GREET, Map.of("name", "embedder"))
                        .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

                // 4b. a tunnel channel opened in code: the server connects to the echo service for us
                TransportStream channel = client.tunnel().openChannel("127.0.0.1", echo.port())
                        .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                channelEcho = exchange(channel, "through a channel".getBytes(StandardCharsets.UTF_8));

                // 4c. the -L forward: a plain socket to the local listener the client opened
                InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
                forwardEcho = viaSocket(local, "through a -L forward".getBytes(StandardCharsets.UTF_8));
            }
            // 5. shut down: the client is closed (above), then the server, letting sessions drain
            boolean connectedAfterClose = closed.connected();
            AlknetServer.StopResult stop = server.stop(Duration.ofSeconds(2));
            return new Result(greeting, hostFingerprint, sessionsWhileUp, channelEcho, forwardEcho, connectedAfterClose, stop);
        }
    }

    /** The operation's spec: a query with a JSON schema for input and output, and a required scope. */
    static OperationSpec greetSpec() {
        return OperationSpec.builder(GREET, OperationType.QUERY)
                .version("1.0.0")
                .description("Greets someone, naming the caller's identity")
                .input(Map.of(
                        "type", "object",
                        "required", List.of("name"),
                        "properties", Map.of("name", Map.of("type", "string", "minLength", 1, "maxLength", 64))))
                .output(Map.of(
                        "type", "object",
                        "required", List.of("message", "caller"),
                        "properties", Map.of("message", Map.of("type", "string"), "caller", Map.of("type", "string"))))
                .requiredScopes(SCOPE)
                .errorCodes("NAME_REFUSED")
                .build();
    }

    /**
     * The operation's handler: plain Java, called with input the spec's schema already validated, on behalf
     * of {@code context.identity()} (which holds the required scope). A declared error code reaches the caller as is.
     */
    static Object greet(Object input, OperationContext context) {
        String name = (String) ((Map<?, ?>) input).get("name");
        if (name.equalsIgnoreCase("nobody")) {
            throw new OperationException("NAME_REFUSED", "no greeting for " + name, false, null);
        }
        return Map.of("message", "Hello, " + name + "!", "caller", context.identity().name());
    }

    /** Sends {@code payload} on a tunnel channel, half-closes it, and returns everything the far end sent back. */
    static byte[] exchange(TransportStream channel, byte[] payload) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        channel.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes); // the buffer is only valid during this call: copy
                synchronized (received) {
                    received.write(bytes, 0, bytes.length);
                }
            }

            @Override
            public void onInputClosed() {
                synchronized (received) {
                    done.complete(received.toByteArray());
                }
            }

            @Override
            public void onClosed(Throwable error) {
                if (error != null) {
                    done.completeExceptionally(error);
                }
                synchronized (received) {
                    done.complete(received.toByteArray());
                }
            }
        });
        try {
            channel.write(ByteBuffer.wrap(payload)).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            channel.shutdownOutput();
            return done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            channel.close();
        }
    }

    private static byte[] viaSocket(InetSocketAddress address, byte[] payload) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            return socket.getInputStream().readAllBytes();
        }
    }

    /** A stand-in for a service behind the tunnel: a TCP echo server on 127.0.0.1. */
    static final class EchoService implements AutoCloseable {
        private final ServerSocket socket;

        EchoService() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("echo-accept").start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        Thread.ofVirtual().name("echo").start(() -> echo(connection));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        private static void echo(Socket connection) {
            try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                in.transferTo(out);
                connection.shutdownOutput();
            } catch (IOException ignored) {
                // the peer went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
