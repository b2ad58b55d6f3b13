package io.alknet.api.plugin;

import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.identity.CredentialProviderFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.policy.ForwardingPolicyFactory;
import io.alknet.api.transport.TransportFactory;

import java.util.List;

/**
 * The entry point of a plugin jar, found by {@link java.util.ServiceLoader}. Exactly one per jar.
 *
 * <p>Every method but {@link #name()} has a default returning nothing, so new extension kinds can be
 * added without breaking existing plugins. The kernel calls these methods once, at startup, from one
 * thread, with the plugin's class loader as the context class loader. They must return quickly and
 * must not start threads or open sockets: that happens when the kernel starts what the factories create.
 */
public interface AlknetPlugin {

    /** Short unique plugin name, e.g. {@code tcp}, {@code ssh}, {@code keys}. */
    String name();

    /** Transports this plugin provides, keyed by their scheme. */
    default List<TransportFactory> transports() {
        return List.of();
    }

    /** Stream interfaces (SSH, raw framing, …) this plugin provides. */
    default List<StreamInterfaceFactory> streamInterfaces() {
        return List.of();
    }

    /** Message interfaces (HTTP, …) this plugin provides. */
    default List<MessageInterfaceFactory> messageInterfaces() {
        return List.of();
    }

    /** Identity providers (authorized keys, tokens, API keys, …) this plugin provides. */
    default List<IdentityProviderFactory> identityProviders() {
        return List.of();
    }

    /** Forwarding policies this plugin provides. */
    default List<ForwardingPolicyFactory> forwardingPolicies() {
        return List.of();
    }

    /** Client front ends (local forwards, SOCKS5, …) this plugin provides. */
    default List<FrontEndFactory> frontEnds() {
        return List.of();
    }

    /** Credential providers (outbound credentials for handlers, {@code env.credentials(service)}) this plugin provides. */
    default List<CredentialProviderFactory> credentialProviders() {
        return List.of();
    }

    /** Metrics backends (Prometheus, …) this plugin provides; a server uses one only when its settings ask for it. */
    default List<io.alknet.api.metrics.MetricsFactory> metrics() {
        return List.of();
    }

    /**
     * Operations (spec and handler) this plugin serves over the call protocol, on servers and clients
     * alike. Their handlers run with this plugin's class loader as the context class loader.
     */
    default List<io.alknet.api.call.Operation> operations() {
        return List.of();
    }

    /**
     * Operations only servers serve, made for one server with its context (state directory, clock): ones that keep
     * server state, such as the secret service. Called once per server at startup, after {@link #operations()}; the
     * same rules apply to their handlers. Clients never call it, so their peers never see these operations.
     */
    default List<io.alknet.api.call.Operation> serverOperations(PluginContext context) {
        return List.of();
    }

    /**
     * The server {@code context} was made for has stopped: release what this plugin keeps for it (the secret service
     * locks, wiping its seed). Called once per server, after its sessions and components closed, with the context
     * {@link #serverOperations} got; an exception is logged and the stop goes on. The default does nothing.
     */
    default void serverStopped(PluginContext context) {
    }
}
