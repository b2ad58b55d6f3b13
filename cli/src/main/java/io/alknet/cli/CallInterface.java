package io.alknet.cli;

import picocli.CommandLine.Option;

/** How {@code alknet call} and {@code alknet ops} reach the server's call protocol. */
final class CallInterface {

    @Option(names = "--interface", paramLabel = "NAME", defaultValue = "ssh",
            description = "How to reach the server: ssh (default; the SSH control channel) or raw (length-prefixed JSON "
                    + "over the transport, authenticated by $ALKNET_API_KEY or a token signed with -i KEY), e.g. --interface raw.")
    String name;
}
