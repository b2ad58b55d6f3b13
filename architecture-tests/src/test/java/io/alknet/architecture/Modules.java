package io.alknet.architecture;

import java.util.List;

/** The package roots of ARCHITECTURE.md's modules. */
final class Modules {

    static final String API = "io.alknet.api";
    static final String KERNEL = "io.alknet.kernel";
    static final String CLI = "io.alknet.cli";
    /** Libraries shared by plugins; not plugins themselves. */
    static final String NETTY_SUPPORT = "io.alknet.netty";
    static final String STREAM_SUPPORT = "io.alknet.stream.support";
    /** The call protocol's framing, shared by the interfaces that carry it. */
    static final String CALL_FRAMING = "io.alknet.call";

    /** Every plugin's package root; one plugin jar each. */
    static final List<String> PLUGINS = List.of(
            "io.alknet.transport.tcp",
            "io.alknet.transport.tls",
            "io.alknet.ssh",
            "io.alknet.raw",
            "io.alknet.http",
            "io.alknet.forward",
            "io.alknet.socks5",
            "io.alknet.auth.keys",
            "io.alknet.auth.apikey",
            "io.alknet.policy.rules");

    /** Every module root that may have an internal package. */
    static final List<String> ALL = List.of(API, KERNEL, CLI, NETTY_SUPPORT, STREAM_SUPPORT, CALL_FRAMING,
            "io.alknet.transport.tcp", "io.alknet.transport.tls", "io.alknet.ssh", "io.alknet.raw", "io.alknet.http", "io.alknet.forward", "io.alknet.socks5", "io.alknet.auth.keys",
            "io.alknet.auth.apikey", "io.alknet.policy.rules");

    private Modules() {
    }
}
