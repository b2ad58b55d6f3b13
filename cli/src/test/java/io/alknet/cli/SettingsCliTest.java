package io.alknet.cli;

import io.alknet.testkit.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings plugins declare, through the packaged command: a mistyped setting fails {@code alknet serve} before
 * anything starts, naming the closest valid one; a secret's value never shows, not in an error, not in a log line
 * that prints the settings, not in {@code alknet plugins --settings}.
 */
class SettingsCliTest {

    private static final java.util.regex.Pattern FINGERPRINT = java.util.regex.Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final String SEED = "seed-value-7f3a9c";
    private static final String SOCKS_PASSWORD = "socks-pa55-61e2";

    /**
     * A plugin for the plugin directory: a credential provider whose secret's name no rule recognises ({@code wallet-seed});
     * it prints the settings it gets when created, as a careless plugin might log them.
     */
    private static final String WALLET_PLUGIN = """
            package com.example.wallet;

            import io.alknet.api.identity.CredentialProvider;
            import io.alknet.api.identity.CredentialProviderFactory;
            import io.alknet.api.plugin.AlknetPlugin;
            import io.alknet.api.plugin.PluginContext;
            import io.alknet.api.plugin.SettingSpec;
            import io.alknet.api.plugin.Settings;
            import java.util.List;
            import java.util.Optional;

            public final class WalletPlugin implements AlknetPlugin {
                public String name() { return "wallet"; }
                public List<CredentialProviderFactory> credentialProviders() {
                    return List.of(new CredentialProviderFactory() {
                        public String name() { return "wallet"; }
                        public Optional<List<SettingSpec>> settings() {
                            return Optional.of(List.of(SettingSpec.string("wallet-seed", "The wallet's seed.").asSecret(),
                                    SettingSpec.string("label", "A label.")));
                        }
                        public CredentialProvider create(Settings settings, PluginContext context) {
                            System.err.println("wallet created with " + settings);
                            return service -> Optional.empty();
                        }
                    });
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aMistypedSettingFailsServeNamingTheClosestValidOne() throws Exception {
        Cli.Result component = Cli.run(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--set", "transport.tpc.connect-timeout=5s");
        assertThat(component.exitCode()).isEqualTo(1);
        assertThat(component.stdout()).doesNotContain("listening");
        assertThat(component.stderrLines()).singleElement().asString()
                .startsWith("error: unknown setting 'transport.tpc.connect-timeout'; did you mean 'transport.tcp.connect-timeout'?");

        Cli.Result setting = Cli.run(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--set", "interface.ssh.rekey-limt=1000");
        assertThat(setting.exitCode()).isEqualTo(1);
        assertThat(setting.stderr()).contains("error: unknown setting 'interface.ssh.rekey-limt'; did you mean 'interface.ssh.rekey-limit'?");

        Path config = dir.resolve("alknet.toml");
        Files.writeString(config, """
                [server]
                listen = "tcp://127.0.0.1:0"

                [settings]
                "interface.ssh.keepalive-mx" = "5"
                """);
        Cli.Result inFile = Cli.run(dir, "serve", "--config", config.toString());
        assertThat(inFile.exitCode()).isEqualTo(1);
        assertThat(inFile.stderr()).contains("unknown setting 'interface.ssh.keepalive-mx'; did you mean 'interface.ssh.keepalive-max'?");
    }

    @Test
    void aSecretsValueNeverShows() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "wallet.jar", "com.example.wallet.WalletPlugin", WALLET_PLUGIN, null);

        Cli.Result typo = Cli.run(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--plugin-dir", plugins.toString(),
                "--set", "credential.wallet.wallet-sed=" + SEED);
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.stderr()).contains("did you mean 'credential.wallet.wallet-seed'?");
        assertThat(typo.stdout() + typo.stderr()).doesNotContain(SEED);

        try (Cli.Running server = Cli.start(dir, "serve", "-v", "--listen", "tcp://127.0.0.1:0", "--plugin-dir", plugins.toString(),
                "--set", "credential.wallet.wallet-seed=" + SEED, "--set", "credential.wallet.label=hot",
                "--set", "frontend.socks5.password=" + SOCKS_PASSWORD)) {
            String output = server.await("alknet: listening on", Duration.ofSeconds(60));
            assertThat(output).contains("wallet created with Settings[credential.wallet.{label=hot, wallet-seed=***}]");
            server.close();
            assertThat(server.stdout() + server.stderr()).doesNotContain(SEED, SOCKS_PASSWORD);
        }

        Cli.Result listed = Cli.run(dir, "plugins", "--plugin-dir", plugins.toString(), "--settings");
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).contains("credential.wallet.wallet-seed  string  secret")
                .contains("frontend.socks5.password  string  secret");
    }

    /** Flags that now come from the plugins' declarations still work as they did. */
    @Test
    void declaredFlagsKeepTheirSpellings() throws Exception {
        Path hostKey = dir.resolve("host_key");
        Cli.Result keygen = Cli.run(dir, "keygen", "-f", hostKey.toString());
        assertThat(keygen.exitCode()).isZero();
        java.util.regex.Matcher generated = FINGERPRINT.matcher(keygen.stdout());
        assertThat(generated.find()).as(keygen.stdout()).isTrue();
        Path authorized = Files.writeString(dir.resolve("authorized_keys"), "");
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--key", hostKey.toString(),
                "--authorized-keys", authorized.toString(), "--cipher", "chacha20-poly1305", "--gateway-ports")) {
            String output = server.await("ssh host key fingerprint", Duration.ofSeconds(60));
            assertThat(output).as("--key chose the host key").contains("ssh host key fingerprint: " + generated.group())
                    .doesNotContain("warning: no --authorized-keys");
        }
        Cli.Result stealth = Cli.run(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--stealth");
        assertThat(stealth.exitCode()).isEqualTo(2);
        assertThat(stealth.stderr()).contains("--stealth applies to tls:// listeners; add --listen tls://HOST:PORT");
    }
}
