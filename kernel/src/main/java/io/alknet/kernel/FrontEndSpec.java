package io.alknet.kernel;

import java.util.Objects;

/**
 * A client front end to run: the factory name and its spec, e.g. a local forward with {@code 8080:db.internal:5432}.
 * {@code io.alknet.defaults.BuiltIns} names the built-in ones.
 */
public record FrontEndSpec(String frontEnd, String spec) {

    public FrontEndSpec {
        Objects.requireNonNull(frontEnd, "frontEnd");
        Objects.requireNonNull(spec, "spec");
    }
}
