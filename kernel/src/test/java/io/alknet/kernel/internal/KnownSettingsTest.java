package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.PluginCatalog.Contribution;
import io.alknet.kernel.PluginCatalog.PluginInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unknown settings fail naming the closest valid key; declared types are checked; secrets are never repeated. */
class KnownSettingsTest {

    /** A transport factory that only declares settings (pure logic: nothing is created). */
    private record Declaring(String name, Optional<List<SettingSpec>> settings) implements TransportFactory {
        @Override
        public SecurityLevel security() {
            return SecurityLevel.UNPROTECTED;
        }

        @Override
        public Transport create(Settings settings, PluginContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static final KnownSettings KNOWN = KnownSettings.of(catalog(
            new Declaring("tcp", Optional.of(List.of(SettingSpec.duration("connect-timeout", "10s", "How long to dial."),
                    SettingSpec.integer("backlog", 1024, "Queued connections."), SettingSpec.string("proxy", "A proxy URL.")))),
            new Declaring("tls", Optional.of(List.of(SettingSpec.path("cert", "Certificate."),
                    SettingSpec.string("key-password", "The key's password.").asSecret(), SettingSpec.integer("pin", 0, "A PIN.").asSecret()))),
            new Declaring("legacy", Optional.empty())));

    private static PluginCatalog catalog(TransportFactory... factories) {
        AlknetPlugin plugin = () -> "test";
        PluginInfo info = new PluginInfo("test", Path.of("test.jar"), true, List.of(), plugin, KnownSettingsTest.class.getClassLoader());
        Map<String, Contribution<?>> transports = new LinkedHashMap<>();
        for (TransportFactory factory : factories) {
            transports.put(factory.name(), new Contribution<>(factory, info, factory.settings()));
        }
        return new PluginCatalog(List.of(info), List.of(), Map.of(ExtensionKind.TRANSPORT, transports));
    }

    @Test
    void declaredSettingsAndTheKernelsOwnPass() {
        assertThatCode(() -> KNOWN.check(Map.of("transport.tcp.connect-timeout", "5s", "transport.tcp.backlog", "10",
                "transport.tls.cert", "/etc/cert.pem", "calls.pubsub-buffer", "100", "server.forward-transport", "tcp")))
                .doesNotThrowAnyException();
    }

    @Test
    void aMistypedComponentNamesTheClosestValidSetting() {
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tpc.proxy", "socks5://127.0.0.1:9050")))
                .isInstanceOf(AlknetException.class)
                .hasMessageStartingWith("unknown setting 'transport.tpc.proxy'; did you mean 'transport.tcp.proxy'?");
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tpc.x", "1")))
                .hasMessageContaining("did you mean 'transport.tcp.")
                .hasMessageContaining("Nothing installed reads settings under 'transport.tpc.'.");
    }

    @Test
    void aMistypedSettingNamesTheClosestOneOfItsComponent() {
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tcp.conect-timeout", "5s")))
                .hasMessageStartingWith("unknown setting 'transport.tcp.conect-timeout'; did you mean 'transport.tcp.connect-timeout'?")
                .hasMessageContaining("backlog, connect-timeout, proxy");
        assertThatThrownBy(() -> KNOWN.check(Map.of("calls.pubsub-bufer", "5")))
                .hasMessageStartingWith("unknown setting 'calls.pubsub-bufer'; did you mean 'calls.pubsub-buffer'?");
        assertThatThrownBy(() -> KNOWN.check(Map.of("transprt.tls.cert", "x")))
                .hasMessageStartingWith("unknown setting 'transprt.tls.cert'; did you mean 'transport.tls.cert'?");
    }

    @Test
    void aComponentThatDeclaresNothingChecksItsOwnSettings() {
        assertThatCode(() -> KNOWN.check(Map.of("transport.legacy.anything", "1"))).doesNotThrowAnyException();
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedAndASecretIsNotRepeated() {
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tcp.backlog", "many")))
                .hasMessage("setting 'transport.tcp.backlog' is 'many'; expected a whole number");
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tcp.connect-timeout", "soon")))
                .hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tls.key-pasword", "hunter2")))
                .hasMessageNotContaining("hunter2").hasMessageContaining("did you mean 'transport.tls.key-password'?");
        assertThatThrownBy(() -> KNOWN.check(Map.of("transport.tls.pin", "12ab")))
                .hasMessage("setting 'transport.tls.pin' is ***; expected a whole number");
    }

    @Test
    void theDeclaredSecretsOfAComponentAreKnown() {
        assertThat(KNOWN.secrets("transport.tls.")).containsExactlyInAnyOrder("key-password", "pin");
        assertThat(KNOWN.secrets("transport.legacy.")).isEmpty();
    }

    @Test
    void distanceCountsATranspositionOnce() {
        assertThat(KnownSettings.distance("tpc", "tcp")).isEqualTo(1);
        assertThat(KnownSettings.distance("tpc", "tls")).isEqualTo(2);
        assertThat(KnownSettings.distance("rekey-limt", "rekey-limit")).isEqualTo(1);
    }
}
