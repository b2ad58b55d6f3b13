package io.alknet.architecture;

import io.alknet.api.AlknetException;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in plugins declare every setting they read, so a typo in any of them fails the start: every factory
 * declares (none relies on checking its own keys), every declared default reads as its type, and every declared
 * secret is one the name rule ({@link Settings#isSecretKey}) recognises too, so {@code ServerOptions} and
 * {@code ClientOptions}, printed before any plugin is found, mask it as well.
 */
class DeclaredSettingsTest {

    private static final PluginCatalog BUILT_INS = Alknet.discover(Optional.empty());

    private record Declared(String key, SettingSpec setting) {
    }

    private static List<Declared> declared() {
        List<Declared> declared = new ArrayList<>();
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            BUILT_INS.contributions().get(kind).forEach((name, contribution) -> {
                assertThat(contribution.settings()).as("%s '%s' declares its settings", kind.label(), name).isPresent();
                contribution.settings().orElseThrow()
                        .forEach(setting -> declared.add(new Declared(kind.settingsPrefix(name) + setting.name(), setting)));
            });
        }
        return declared;
    }

    @Test
    void everyBuiltInFactoryDeclaresItsSettings() {
        assertThat(declared()).extracting(Declared::key).contains("transport.tcp.connect-timeout", "interface.ssh.host-key",
                "identity.keys.authorized-keys", "policy.rules.file", "frontend.socks5.password", "interface.http.listen");
    }

    @Test
    void everyDeclaredDefaultReadsAsItsType() {
        for (Declared d : declared()) {
            d.setting().defaultValue().ifPresent(value -> {
                Settings settings = Settings.of("", Map.of("v", value));
                try {
                    switch (d.setting().type()) {
                        case INTEGER -> Long.parseLong(value);
                        case BOOLEAN -> settings.bool("v", false);
                        case DURATION -> settings.duration("v", Duration.ZERO);
                        case STRING, PATH, PATHS, LIST -> { }
                    }
                } catch (NumberFormatException | AlknetException e) {
                    throw new AssertionError("the default of " + d.key() + " is not a " + d.setting().type() + ": " + value, e);
                }
            });
        }
    }

    @Test
    void everyDeclaredSecretIsOneTheNameRuleMasksToo() {
        List<String> secrets = declared().stream().filter(d -> d.setting().secret()).map(Declared::key).toList();
        assertThat(secrets).contains("frontend.socks5.password", "interface.raw.credential");
        assertThat(secrets).allSatisfy(key -> assertThat(Settings.isSecretKey(key)).as(key).isTrue());
    }
}
