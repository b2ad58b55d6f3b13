package io.alknet.kernel;

import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.identity.CredentialProviderFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.metrics.MetricsFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.policy.ForwardingPolicyFactory;
import io.alknet.api.transport.TransportFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One kind of extension a plugin contributes through its {@link AlknetPlugin}. {@link #ALL} is the one table of them:
 * discovery, the catalog, the settings check, {@code alknet plugins} and the CLI's help all read it, so a new kind is
 * one constant here (and a default method on {@code AlknetPlugin}).
 *
 * @param id           stable id, as {@code alknet plugins} prints it ({@code transport:tcp})
 * @param label        for messages: "unknown stream interface 'x'"
 * @param prefix       the first part of its settings' keys: {@code transport} in {@code transport.tcp.connect-timeout}
 * @param factoryType  the factory interface
 * @param contributed  the factories a plugin contributes
 * @param unavailable  why a factory cannot run on this machine, or empty when it can
 * @param <F>          the factory type
 */
public record ExtensionKind<F extends ExtensionFactory>(String id, String label, String prefix, Class<F> factoryType,
                                                        Function<AlknetPlugin, List<F>> contributed,
                                                        Function<F, Optional<String>> unavailable) {

    public static final ExtensionKind<TransportFactory> TRANSPORT = new ExtensionKind<>("transport", "transport", "transport",
            TransportFactory.class, AlknetPlugin::transports, TransportFactory::unavailableReason);
    public static final ExtensionKind<StreamInterfaceFactory> STREAM_INTERFACE = of("stream-interface", "stream interface",
            "interface", StreamInterfaceFactory.class, AlknetPlugin::streamInterfaces);
    public static final ExtensionKind<MessageInterfaceFactory> MESSAGE_INTERFACE = of("message-interface", "message interface",
            "interface", MessageInterfaceFactory.class, AlknetPlugin::messageInterfaces);
    public static final ExtensionKind<IdentityProviderFactory> IDENTITY_PROVIDER = of("identity-provider", "identity provider",
            "identity", IdentityProviderFactory.class, AlknetPlugin::identityProviders);
    public static final ExtensionKind<ForwardingPolicyFactory> FORWARDING_POLICY = of("forwarding-policy", "forwarding policy",
            "policy", ForwardingPolicyFactory.class, AlknetPlugin::forwardingPolicies);
    public static final ExtensionKind<FrontEndFactory> FRONT_END = of("front-end", "front end",
            "frontend", FrontEndFactory.class, AlknetPlugin::frontEnds);
    public static final ExtensionKind<CredentialProviderFactory> CREDENTIAL_PROVIDER = of("credential-provider", "credential provider",
            "credential", CredentialProviderFactory.class, AlknetPlugin::credentialProviders);
    public static final ExtensionKind<MetricsFactory> METRICS = of("metrics", "metrics backend",
            "metrics", MetricsFactory.class, AlknetPlugin::metrics);

    /** Every kind, in the order {@code alknet plugins} lists contributions. */
    public static final List<ExtensionKind<?>> ALL = List.of(TRANSPORT, STREAM_INTERFACE, MESSAGE_INTERFACE, IDENTITY_PROVIDER,
            FORWARDING_POLICY, FRONT_END, CREDENTIAL_PROVIDER, METRICS);

    public ExtensionKind {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(factoryType, "factoryType");
        Objects.requireNonNull(contributed, "contributed");
        Objects.requireNonNull(unavailable, "unavailable");
    }

    private static <F extends ExtensionFactory> ExtensionKind<F> of(String id, String label, String prefix, Class<F> type,
                                                                    Function<AlknetPlugin, List<F>> contributed) {
        return new ExtensionKind<>(id, label, prefix, type, contributed, factory -> Optional.empty());
    }

    /** The settings prefix of the contribution {@code name}: {@code transport.tcp.} */
    public String settingsPrefix(String name) {
        return prefix + "." + name + ".";
    }

    /** Identity is the id: two kinds with one id are one kind. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ExtensionKind<?> kind && kind.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
