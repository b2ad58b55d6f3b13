package io.alknet.kernel;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.TransportAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a client needs.
 *
 * @param server          the server address, e.g. {@code tcp://example.com:2222}
 * @param streamInterface the stream interface to speak
 * @param user            the user name to log in as
 * @param identityFiles   private keys to authenticate with
 * @param hostKeys        how to verify the server
 * @param frontEnds       local listeners to run (forwards, SOCKS5)
 * @param settings        component settings by full key
 * @param pluginDirectory extra plugin jars
 * @param stateDirectory  alknet's state directory
 * @param reconnect       what to do when the session is lost
 * @param gracePeriod     how long open streams may drain on shutdown
 * @param events          receives status events; called from alknet threads, must not block
 * @param alternatives    other paths to the same server (another transport, address or port), raced with
 *                        {@code server} Happy-Eyeballs style: the first SSH session up wins; every path must present
 *                        the host key {@code hostKeys} accepts for {@code server}
 */
public record ClientOptions(
        TransportAddress server, String streamInterface, String user, List<Path> identityFiles,
        HostKeyVerification hostKeys, List<FrontEndSpec> frontEnds, Map<String, String> settings,
        Optional<Path> pluginDirectory, Path stateDirectory, ReconnectPolicy reconnect, Duration gracePeriod,
        Consumer<ClientEvent> events, List<TransportAddress> alternatives) {

    public ClientOptions {
        alternatives = List.copyOf(alternatives);
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(streamInterface, "streamInterface");
        Objects.requireNonNull(user, "user");
        identityFiles = List.copyOf(identityFiles);
        Objects.requireNonNull(hostKeys, "hostKeys");
        frontEnds = List.copyOf(frontEnds);
        settings = Map.copyOf(settings);
        Objects.requireNonNull(pluginDirectory, "pluginDirectory");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(events, "events");
    }

    /** Secret settings (the SOCKS5 password, an API key or token, a URL's password) show as {@code ***} (spec T-125). */
    @Override
    public String toString() {
        return "ClientOptions[server=" + server + ", streamInterface=" + streamInterface + ", user=" + user
                + ", identityFiles=" + identityFiles + ", hostKeys=" + hostKeys + ", frontEnds=" + frontEnds
                + ", settings=" + Settings.masked(settings) + ", pluginDirectory=" + pluginDirectory
                + ", stateDirectory=" + stateDirectory + ", reconnect=" + reconnect + ", gracePeriod=" + gracePeriod
                + ", alternatives=" + alternatives + "]";
    }

    public static Builder builder(TransportAddress server) {
        return new Builder(server);
    }

    /** A mutable builder. */
    public static final class Builder {
        private final TransportAddress server;
        private String streamInterface;
        private String user = Alknet.defaultUser();
        private final List<Path> identityFiles = new ArrayList<>();
        private HostKeyVerification hostKeys;
        private final List<FrontEndSpec> frontEnds = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path pluginDirectory;
        private Path stateDirectory = Alknet.defaultStateDirectory();
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private Duration gracePeriod = Duration.ofSeconds(2);
        private Consumer<ClientEvent> events = event -> { };
        private final List<TransportAddress> alternatives = new ArrayList<>();

        private Builder(TransportAddress server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        public Builder streamInterface(String name) {
            streamInterface = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder user(String name) {
            user = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder identity(Path file) {
            identityFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        public Builder hostKeys(HostKeyVerification verification) {
            hostKeys = Objects.requireNonNull(verification, "verification");
            return this;
        }

        public Builder frontEnd(FrontEndSpec spec) {
            frontEnds.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
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

        public Builder reconnect(ReconnectPolicy policy) {
            reconnect = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder gracePeriod(Duration grace) {
            gracePeriod = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** Another path to the same server, raced with the others (repeatable; in order of preference). */
        public Builder via(TransportAddress path) {
            alternatives.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        public Builder events(Consumer<ClientEvent> listener) {
            events = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @throws IllegalStateException when no stream interface or no host key verification was chosen (an interface
         *     without host keys, such as raw framing, relies on the transport: say so with
         *     {@link HostKeyVerification.AcceptAny})
         */
        public ClientOptions build() {
            if (streamInterface == null) {
                throw new IllegalStateException("choose the stream interface to speak (io.alknet.defaults.BuiltIns.client() "
                        + "chooses the built-in one)");
            }
            if (hostKeys == null) {
                throw new IllegalStateException("host key verification is required: pin a fingerprint or give a known_hosts file");
            }
            return new ClientOptions(server, streamInterface, user, identityFiles, hostKeys, frontEnds, settings,
                    Optional.ofNullable(pluginDirectory), stateDirectory, reconnect, gracePeriod, events, alternatives);
        }
    }
}
