package io.alknet.kernel.internal;

import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.policy.ForwardingPolicyFactory;
import io.alknet.api.transport.TransportFactory;
import io.alknet.kernel.PluginCatalog.Contribution;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * The factories the plugins contribute, as Guice map bindings keyed by name (see {@link KernelModule}).
 */
public record Registry(
        Map<String, Contribution<TransportFactory>> transports,
        Map<String, Contribution<StreamInterfaceFactory>> streamInterfaces,
        Map<String, Contribution<MessageInterfaceFactory>> messageInterfaces,
        Map<String, Contribution<IdentityProviderFactory>> identityProviders,
        Map<String, Contribution<ForwardingPolicyFactory>> forwardingPolicies,
        Map<String, Contribution<FrontEndFactory>> frontEnds) {

    @Inject
    public Registry {
        transports = Map.copyOf(transports);
        streamInterfaces = Map.copyOf(streamInterfaces);
        messageInterfaces = Map.copyOf(messageInterfaces);
        identityProviders = Map.copyOf(identityProviders);
        forwardingPolicies = Map.copyOf(forwardingPolicies);
        frontEnds = Map.copyOf(frontEnds);
    }
}
