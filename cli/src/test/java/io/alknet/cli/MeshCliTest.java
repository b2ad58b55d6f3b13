package io.alknet.cli;

import io.alknet.testkit.Loopback;
import io.alknet.testkit.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Head and worker as three alknet processes (issue 24): {@code alknet serve}, {@code alknet connect --as-worker w1}
 * serving a plugin's operation, and {@code alknet call} / {@code alknet flow show} reaching it through the head.
 */
class MeshCliTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    /** A plugin with one operation, /shout/say, compiled and packaged here. */
    private static final String SHOUT = """
            package com.example.shout;

            import io.alknet.api.call.Operation;
            import io.alknet.api.call.OperationSpec;
            import io.alknet.api.call.OperationType;
            import io.alknet.api.plugin.AlknetPlugin;
            import java.util.List;
            import java.util.Map;

            public final class ShoutPlugin implements AlknetPlugin {
                @Override
                public String name() {
                    return "shout";
                }

                @Override
                public List<Operation> operations() {
                    return List.of(Operation.of(OperationSpec.builder("/shout/say", OperationType.QUERY).requiredScopes("shout:use").build(),
                            (input, context) -> String.valueOf(((Map<?, ?>) input).get("text")).toUpperCase() + " from " + context.identity().name()));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aWorkerStartedWithAsWorkerIsCalledThroughTheHeadAndShowsInTheFlowgraph() throws Exception {
        Path hostKey = dir.resolve("host");
        Path aliceKey = dir.resolve("alice");
        Path workerKey = dir.resolve("worker");
        assertThat(Cli.run(dir, "keygen", "-f", hostKey.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", aliceKey.toString(), "-C", "alice").exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", workerKey.toString(), "-C", "w1").exitCode()).isZero();
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, "scopes=\"shout:use,monitoring:read\" " + Files.readString(Path.of(aliceKey + ".pub"))
                + "scopes=\"node:register\" " + Files.readString(Path.of(workerKey + ".pub")));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "shout.jar", "com.example.shout.ShoutPlugin", SHOUT, null);
        int port = Loopback.unusedPort();
        try (Cli.Running head = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + port,
                "--host-key", hostKey.toString(), "--authorized-keys", authorized.toString())) {
            String fingerprint = fingerprint(head.await("host key fingerprint", Duration.ofSeconds(60)));
            String[] worker = {"connect", "tcp://127.0.0.1:" + port, "-i", workerKey.toString(), "--host-key-fingerprint", fingerprint,
                    "--no-socks5", "--no-reconnect", "--as-worker", "w1", "--plugin-dir", plugins.toString()};
            String[] login = {"--server", "tcp://127.0.0.1:" + port, "-i", aliceKey.toString(), "--host-key-fingerprint", fingerprint};
            try (Cli.Running w1 = Cli.start(dir, worker)) {
                head.await("mesh.node.registered node=w1 operations=1", Duration.ofSeconds(60));

                Cli.Result said = Cli.run(dir, CliTest.concat(new String[] {"call", "/w1/shout/say", "--json", "{\"text\":\"hi\"}"}, login));
                assertThat(said.exitCode()).as(said.stderr()).isZero();
                assertThat(said.stdout()).contains("\"HI from alice\"");
                Cli.Result ops = Cli.run(dir, CliTest.concat(new String[] {"ops"}, login));
                assertThat(ops.stdout()).containsPattern("/w1/shout/say +query +shout:use");

                Cli.Result flow = Cli.run(dir, CliTest.concat(new String[] {"flow", "show"}, login));
                assertThat(flow.exitCode()).as(flow.stderr()).isZero();
                Matcher root = Pattern.compile("^/w1/shout/say  completed  \\d+ ms  alice  ([0-9a-f-]{36})$", Pattern.MULTILINE)
                        .matcher(flow.stdout());
                assertThat(root.find()).as(flow.stdout()).isTrue();
                Cli.Result tree = Cli.run(dir, CliTest.concat(new String[] {"flow", "show", root.group(1)}, login));
                assertThat(tree.stdout()).as(tree.stderr()).containsPattern("(?m)^/w1/shout/say  completed .*\\n└─ w1:/shout/say  completed ");
                Cli.Result dot = Cli.run(dir, CliTest.concat(new String[] {"flow", "show", root.group(1), "--format", "dot"}, login));
                assertThat(dot.stdout()).startsWith("digraph flow {").contains("\"" + root.group(1) + "\" -> ");

                // a second worker under the same alias is refused, and says why
                Cli.Result twin = Cli.run(dir, worker);
                assertThat(twin.exitCode()).isEqualTo(1);
                assertThat(twin.stderr()).contains("CONFLICT").contains("alias 'w1' is registered by another connection");

                w1.process.destroyForcibly();
                assertThat(w1.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                head.await("mesh.node.gone node=w1", Duration.ofSeconds(20));
                Cli.Result gone = Cli.run(dir, CliTest.concat(new String[] {"call", "/w1/shout/say", "--json", "{\"text\":\"hi\"}"}, login));
                assertThat(gone.exitCode()).isEqualTo(1);
                assertThat(gone.stderr()).contains("OPERATION_NOT_FOUND").contains("no node 'w1' is registered here");
            }
        }
    }

    private static String fingerprint(String text) {
        Matcher matcher = FINGERPRINT.matcher(text);
        assertThat(matcher.find()).as("a fingerprint in: " + text).isTrue();
        return matcher.group();
    }
}
