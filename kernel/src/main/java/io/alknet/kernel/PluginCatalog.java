package io.alknet.kernel;

import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.policy.ForwardingPolicyFactory;
import io.alknet.api.transport.TransportFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The plugins alknet found, and what each contributes, keyed by name. Built by
 * {@link Alknet#discover(java.util.Optional)}; immutable.
 *
 * @param plugins            every loaded plugin, built-ins first, in a stable order
 * @param rejected           plugin jars that were not loaded, with the reason
 * @param transports         transport factories by scheme
 * @param streamInterfaces   stream interface factories by name
 * @param messageInterfaces  message interface factories by name
 * @param identityProviders  identity provider factories by name
 * @param forwardingPolicies forwarding policy factories by name
 * @param frontEnds          front end factories by name
 */
public record PluginCatalog(
        List<PluginInfo> plugins, List<Rejected> rejected,
        Map<String, Contribution<TransportFactory>> transports,
        Map<String, Contribution<StreamInterfaceFactory>> streamInterfaces,
        Map<String, Contribution<MessageInterfaceFactory>> messageInterfaces,
        Map<String, Contribution<IdentityProviderFactory>> identityProviders,
        Map<String, Contribution<ForwardingPolicyFactory>> forwardingPolicies,
        Map<String, Contribution<FrontEndFactory>> frontEnds) {

    public PluginCatalog {
        plugins = List.copyOf(plugins);
        rejected = List.copyOf(rejected);
        transports = Map.copyOf(transports);
        streamInterfaces = Map.copyOf(streamInterfaces);
        messageInterfaces = Map.copyOf(messageInterfaces);
        identityProviders = Map.copyOf(identityProviders);
        forwardingPolicies = Map.copyOf(forwardingPolicies);
        frontEnds = Map.copyOf(frontEnds);
    }

    /**
     * One loaded plugin.
     *
     * @param name          the plugin's name
     * @param location      the jar (or directory) it came from
     * @param builtIn       true when found on the class path, false when loaded from the plugin directory
     * @param contributions what it contributes, as {@code kind:name}
     * @param plugin        the entry point
     * @param classLoader   the loader its classes live in
     */
    public record PluginInfo(String name, Path location, boolean builtIn, List<String> contributions,
                             AlknetPlugin plugin, ClassLoader classLoader) {
        public PluginInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(location, "location");
            contributions = List.copyOf(contributions);
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(classLoader, "classLoader");
        }

        /** The jar's file name, for listings. */
        public String jarName() {
            Path file = location.getFileName();
            return file == null ? location.toString() : file.toString();
        }
    }

    /** A plugin jar that was not loaded. */
    public record Rejected(Path location, String reason) {
    }

    /** A factory and the plugin that contributed it. */
    public record Contribution<F>(F factory, PluginInfo plugin) {
    }
}
