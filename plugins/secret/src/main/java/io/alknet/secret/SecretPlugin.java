package io.alknet.secret;

import io.alknet.api.call.Operation;
import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code secret} plugin: the secret service's operations on servers (never on clients, whose peers are servers
 * they only connect to). One {@link SecretService} per state directory, since that is where its seed file lives;
 * every server of this process with the same state directory shares it (and its Locked/Unlocked state).
 */
public final class SecretPlugin implements AlknetPlugin {

    private final Map<Path, SecretService> services = new ConcurrentHashMap<>();
    private final Map<Path, SecretCredentialProvider> credentialProviders = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "secret";
    }

    @Override
    public List<Operation> serverOperations(PluginContext context) {
        return new SecretOperations(service(context)).operations();
    }

    /**
     * The service of {@code context}'s state directory, created Locked on first use. Another component of this plugin
     * (the credential provider) reaches the same service through here.
     */
    public SecretService service(PluginContext context) {
        Path directory = context.stateDirectory().toAbsolutePath().normalize();
        return services.computeIfAbsent(directory, key -> SecretService.forStateDirectory(key, context.clock()));
    }

    /**
     * Locks the service of {@code context}'s state directory: a stopped server leaves no seed or derived key in memory
     * (another server of this process on the same state directory shares the service, and is locked too).
     */
    @Override
    public void serverStopped(PluginContext context) {
        SecretService service = services.get(context.stateDirectory().toAbsolutePath().normalize());
        if (service != null) {
            service.lock();
        }
    }

    /**
     * The {@code secret} credential provider: {@link #credentialProvider} of the context the kernel creates it with. It
     * reads no settings.
     */
    @Override
    public List<CredentialProviderFactory> credentialProviders() {
        return List.of(new CredentialProviderFactory() {
            @Override
            public String name() {
                return "secret";
            }

            @Override
            public Optional<List<SettingSpec>> settings() {
                return Optional.of(List.of());
            }

            @Override
            public CredentialProvider create(Settings settings, PluginContext context) {
                return credentialProvider(context);
            }
        });
    }

    /**
     * The default outbound {@link io.alknet.api.identity.CredentialProvider} of {@code context}'s state directory: the
     * credentials of {@code <state-dir>/secret/credentials}, decrypted while that directory's service is unlocked.
     */
    public SecretCredentialProvider credentialProvider(PluginContext context) {
        Path directory = context.stateDirectory().toAbsolutePath().normalize();
        return credentialProviders.computeIfAbsent(directory, key -> new SecretCredentialProvider(service(context), CredentialStore.in(key)));
    }
}
