package io.alknet.api.frontend;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates front ends from a user's spec string (for example {@code -L} takes
 * {@code [BIND:]PORT:HOST:HOSTPORT}).
 */
public interface FrontEndFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code local-forward}. */
    @Override
    String name();

    /** The syntax of {@link #create}'s spec, for help texts. */
    String specSyntax();

    /**
     * Parses {@code spec} and creates the front end. Pure: binds nothing.
     *
     * @throws io.alknet.api.AlknetException {@code INVALID_ARGUMENT} with a message that quotes the spec
     *     and says what is wrong
     */
    FrontEnd create(String spec, Settings settings, PluginContext context);
}
