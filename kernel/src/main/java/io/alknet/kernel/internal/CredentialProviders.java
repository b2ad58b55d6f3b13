package io.alknet.kernel.internal;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The credential providers of every plugin as one: the first that has credentials for a service answers. Each runs
 * with its plugin's class loader as the context class loader.
 */
final class CredentialProviders implements CredentialProvider {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");

    private final List<CredentialProvider> providers;

    CredentialProviders(List<CredentialProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    @Override
    public Optional<CredentialSet> credentials(String service) {
        for (CredentialProvider provider : providers) {
            Optional<CredentialSet> found = PluginCalls.withLoader(provider.getClass().getClassLoader(), () -> provider.credentials(service));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<CredentialSet> refresh(String service) {
        for (CredentialProvider provider : providers) {
            Optional<CredentialSet> found = PluginCalls.withLoader(provider.getClass().getClassLoader(), () -> provider.refresh(service));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        providers.forEach(CredentialProviders::closeQuietly);
    }

    static void closeQuietly(CredentialProvider provider) {
        try {
            provider.close();
        } catch (RuntimeException e) {
            LOG.warn("credential.provider.close.failed provider={} error={}", provider.getClass().getName(), e.toString());
        }
    }
}
