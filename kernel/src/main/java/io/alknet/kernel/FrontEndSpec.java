package io.alknet.kernel;

import java.util.Objects;

/**
 * A client front end to run: the factory name and its spec, e.g. {@code local-forward} with
 * {@code 8080:db.internal:5432}.
 */
public record FrontEndSpec(String frontEnd, String spec) {

    public FrontEndSpec {
        Objects.requireNonNull(frontEnd, "frontEnd");
        Objects.requireNonNull(spec, "spec");
    }

    /** A {@code -D} SOCKS5 proxy on {@code [BIND:]PORT}. */
    public static FrontEndSpec socks5(String spec) {
        return new FrontEndSpec("socks5", spec);
    }

    /** A {@code -R} remote forward. */
    public static FrontEndSpec remoteForward(String spec) {
        return new FrontEndSpec("remote-forward", spec);
    }

    /** A {@code -L} forward. */
    public static FrontEndSpec localForward(String spec) {
        return new FrontEndSpec("local-forward", spec);
    }
}
