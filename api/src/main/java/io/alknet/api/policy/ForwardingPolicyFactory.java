package io.alknet.api.policy;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates {@link ForwardingPolicy} instances, at startup and on every reload.
 */
public interface ForwardingPolicyFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code rules}. */
    @Override
    String name();

    /**
     * Reads the policy's sources and returns an immutable policy.
     *
     * @param settings the settings under {@code policy.<name>.}
     * @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} naming the file, line and problem
     */
    ForwardingPolicy create(Settings settings, PluginContext context);

    /** One sentence describing what happens when no rule matches, shown in {@code alknet serve --help}. */
    default String defaultBehaviour() {
        return "";
    }
}
