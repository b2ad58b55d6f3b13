package io.alknet.kernel;

import io.alknet.api.plugin.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a server needs. Settings are component settings by full key ({@code <kind>.<name>.<setting>}, as the
 * plugins declare them: {@code alknet plugins --settings} lists them) and the kernel's own ({@link KernelSettings}).
 * The kernel names no plugin: the identity providers, the forwarding policy and the transport forwards go through are
 * chosen here; {@code io.alknet.defaults.BuiltIns.server()} starts a builder with the built-in choices.
 *
 * @param listeners            the listeners to serve; every one is served
 * @param settings             component settings by full key; an unknown key fails the start, naming the closest valid one
 * @param identityProviders    identity providers to ask, in order
 * @param forwardingPolicy     the forwarding policy's name
 * @param pluginDirectory      extra plugin jars, one class loader per jar
 * @param stateDirectory       where generated keys and state live
 * @param gracePeriod          how long sessions may drain on shutdown
 * @param limits               abuse limits per source address (reloadable)
 */
public record ServerOptions(
        List<ListenerSpec> listeners, Map<String, String> settings, List<String> identityProviders,
        String forwardingPolicy, Optional<Path> pluginDirectory, Path stateDirectory, Duration gracePeriod,
        ServerLimits limits) {

    public ServerOptions {
        listeners = List.copyOf(listeners);
        settings = Map.copyOf(settings);
        identityProviders = List.copyOf(identityProviders);
        Objects.requireNonNull(forwardingPolicy, "forwardingPolicy");
        Objects.requireNonNull(pluginDirectory, "pluginDirectory");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(limits, "limits");
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is required");
        }
    }

    /** Secret settings (passwords, API keys, tokens, a URL's password) show as {@code ***} (spec T-125). */
    @Override
    public String toString() {
        return "ServerOptions[listeners=" + listeners + ", settings=" + Settings.masked(settings)
                + ", identityProviders=" + identityProviders + ", forwardingPolicy=" + forwardingPolicy
                + ", pluginDirectory=" + pluginDirectory + ", stateDirectory=" + stateDirectory + ", gracePeriod=" + gracePeriod
                + ", limits=" + limits + "]";
    }

    /** Failed authentications per connection before disconnect (0 = unlimited). */
    public int maxAuthAttempts() {
        return limits.maxAuthAttempts();
    }

    /** Concurrent connections per source address (0 = unlimited). */
    public int maxConnectionsPerIp() {
        return limits.maxConnectionsPerIp();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A mutable builder; the identity providers and the forwarding policy must be chosen. */
    public static final class Builder {
        private final List<ListenerSpec> listeners = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private List<String> identityProviders;
        private String forwardingPolicy;
        private Path pluginDirectory;
        private Path stateDirectory = Alknet.defaultStateDirectory();
        private Duration gracePeriod = Duration.ofSeconds(2);
        private ServerLimits limits = ServerLimits.DEFAULT;

        public Builder listen(ListenerSpec listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** A listener on {@code uri} (a missing port binds any free one) served by {@code streamInterface}. */
        public Builder listen(String uri, String streamInterface) {
            return listen(ListenerSpec.parse(uri, streamInterface));
        }

        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A setting naming a file. */
        public Builder setting(String key, Path file) {
            return setting(key, Objects.requireNonNull(file, "file").toString());
        }

        public Builder identityProviders(List<String> names) {
            identityProviders = List.copyOf(names);
            return this;
        }

        public Builder forwardingPolicy(String name) {
            forwardingPolicy = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder pluginDirectory(Path directory) {
            pluginDirectory = directory;
            return this;
        }

        public Builder stateDirectory(Path directory) {
            stateDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        public Builder gracePeriod(Duration grace) {
            gracePeriod = Objects.requireNonNull(grace, "grace");
            return this;
        }

        public Builder maxAuthAttempts(int attempts) {
            limits = limits.withMaxAuthAttempts(attempts);
            return this;
        }

        public Builder maxConnectionsPerIp(int connections) {
            limits = limits.withMaxConnectionsPerIp(connections);
            return this;
        }

        public Builder maxStartups(ServerLimits.MaxStartups startups) {
            limits = limits.withMaxStartups(startups);
            return this;
        }

        public Builder penalties(ServerLimits.Penalties penalties) {
            limits = limits.withPenalties(penalties);
            return this;
        }

        public Builder limits(ServerLimits newLimits) {
            limits = Objects.requireNonNull(newLimits, "limits");
            return this;
        }

        /**
         * @throws IllegalStateException when no identity provider or no forwarding policy was chosen
         */
        public ServerOptions build() {
            if (identityProviders == null || forwardingPolicy == null) {
                throw new IllegalStateException("choose the identity providers and the forwarding policy (alknet plugins lists "
                        + "them; io.alknet.defaults.BuiltIns.server() chooses the built-in ones)");
            }
            return new ServerOptions(listeners, settings, identityProviders, forwardingPolicy,
                    Optional.ofNullable(pluginDirectory), stateDirectory, gracePeriod, limits);
        }
    }
}
