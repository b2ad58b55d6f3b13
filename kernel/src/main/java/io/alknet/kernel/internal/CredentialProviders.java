package io.alknet.kernel.internal;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The credential providers of every plugin as one: the first that has credentials for a service answers. One that
 * cannot answer (the secret service's while it is locked) does not keep the others from it: its failure is thrown only
 * when none answered. Each runs with its plugin's class loader as the context class loader.
 */
final class CredentialProviders implements CredentialProvider {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.calls");

    private final List<CredentialProvider> providers;

    CredentialProviders(List<CredentialProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    @Override
    public Optional<CredentialSet> credentials(String service) {
        return first(provider -> provider.credentials(service));
    }

    @Override
    public Optional<CredentialSet> refresh(String service) {
        return first(provider -> provider.refresh(service));
    }

    private Optional<CredentialSet> first(Function<CredentialProvider, Optional<CredentialSet>> ask) {
        RuntimeException failure = null;
        for (CredentialProvider provider : providers) {
            try {
                Optional<CredentialSet> found = PluginCalls.withLoader(provider.getClass().getClassLoader(), () -> ask.apply(provider));
                if (found.isPresent()) {
                    return found;
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
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
