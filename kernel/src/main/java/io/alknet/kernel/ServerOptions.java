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
 * Everything a server needs. Settings are component settings by full key
 * ({@code interface.ssh.host-key}, {@code identity.keys.authorized-keys}, {@code policy.rules.file}).
 *
 * @param listeners            the listeners to serve; every one is served
 * @param settings             component settings by full key; unknown keys are refused by their component
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

    /** A mutable builder with the defaults a server normally wants. */
    public static final class Builder {
        private final List<ListenerSpec> listeners = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private List<String> identityProviders = List.of("keys");
        private String forwardingPolicy = "rules";
        private Path pluginDirectory;
        private Path stateDirectory = Alknet.defaultStateDirectory();
        private Duration gracePeriod = Duration.ofSeconds(2);
        private ServerLimits limits = ServerLimits.DEFAULT;

        public Builder listen(ListenerSpec listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder listen(String uri) {
            return listen(ListenerSpec.ssh(uri));
        }

        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder hostKey(Path file) {
            return setting("interface.ssh.host-key", file.toString());
        }

        public Builder authorizedKeys(Path file) {
            return setting("identity.keys.authorized-keys", file.toString());
        }

        public Builder policy(Path file) {
            return setting("policy.rules.file", file.toString());
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

        public ServerOptions build() {
            return new ServerOptions(listeners, settings, identityProviders, forwardingPolicy,
                    Optional.ofNullable(pluginDirectory), stateDirectory, gracePeriod, limits);
        }
    }
}
