package io.alknet.defaults;

import io.alknet.api.transport.TransportAddress;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.ServerOptions;

import java.util.List;

/**
 * The built-in plugins by name, and the choices {@code alknet serve} and {@code alknet connect} make, for
 * applications that embed alknet:
 *
 * <pre>{@code
 * Alknet.server(BuiltIns.server()
 *         .listen(BuiltIns.ssh("tcp://127.0.0.1:2222"))
 *         .setting(BuiltIns.HOST_KEY, hostKeyFile)
 *         .setting(BuiltIns.AUTHORIZED_KEYS, authorizedKeys)
 *         .build());
 * }</pre>
 *
 * The names hold only when the plugin jars are on the class path (or in the plugin directory); a missing one fails
 * the start, naming what is available.
 */
public final class BuiltIns {

    /** Transports. */
    public static final String TCP = "tcp";
    public static final String TLS = "tls";
    public static final String IROH = "iroh";

    /** Stream interfaces. */
    public static final String SSH = "ssh";
    public static final String RAW = "raw";

    /** Identity providers: authorized keys, certificates and tokens; API keys. */
    public static final String KEYS = "keys";
    public static final String APIKEY = "apikey";

    /** The forwarding policy of ordered allow/deny rules. */
    public static final String RULES = "rules";

    /** Front ends. */
    public static final String SOCKS5 = "socks5";
    public static final String LOCAL_FORWARD = "local-forward";
    public static final String REMOTE_FORWARD = "remote-forward";

    /** The ssh interface's host key file. */
    public static final String HOST_KEY = "interface.ssh.host-key";
    /** The keys provider's authorized_keys files. */
    public static final String AUTHORIZED_KEYS = "identity.keys.authorized-keys";
    /** The rules policy's file. */
    public static final String POLICY_FILE = "policy.rules.file";
    /** Failed logins the ssh interface allows per connection; alknet serve keeps it equal to the server's limit. */
    public static final String SSH_MAX_AUTH_ATTEMPTS = "interface.ssh.max-auth-attempts";

    /** The port an SSH listener gets when its address names none. */
    public static final int SSH_PORT = 2222;

    private BuiltIns() {
    }

    /**
     * A server builder with {@code alknet serve}'s choices: logins by the {@link #KEYS} provider, forwards decided by the
     * {@link #RULES} policy (its built-in default without a file) and dialled over {@link #TCP}.
     */
    public static ServerOptions.Builder server() {
        return ServerOptions.builder()
                .identityProviders(List.of(KEYS))
                .forwardingPolicy(RULES)
                .setting(KernelSettings.FORWARD_TRANSPORT, TCP);
    }

    /** A client builder that speaks {@link #SSH} to {@code server}; host key verification is still to be chosen. */
    public static ClientOptions.Builder client(TransportAddress server) {
        return ClientOptions.builder(server).streamInterface(SSH);
    }

    /** An SSH listener on {@code uri}, e.g. {@code tcp://127.0.0.1:2222} (port {@value #SSH_PORT} when it names none). */
    public static ListenerSpec ssh(String uri) {
        return new ListenerSpec(TransportAddress.parse(uri, SSH_PORT), SSH);
    }

    /** A {@code -D} SOCKS5 proxy on {@code [BIND:]PORT}. */
    public static FrontEndSpec socks5(String spec) {
        return new FrontEndSpec(SOCKS5, spec);
    }

    /** A {@code -L} forward, {@code [BIND:]PORT:HOST:HOSTPORT}. */
    public static FrontEndSpec localForward(String spec) {
        return new FrontEndSpec(LOCAL_FORWARD, spec);
    }

    /** A {@code -R} remote forward, {@code [BIND:]PORT:HOST:HOSTPORT}. */
    public static FrontEndSpec remoteForward(String spec) {
        return new FrontEndSpec(REMOTE_FORWARD, spec);
    }
}
