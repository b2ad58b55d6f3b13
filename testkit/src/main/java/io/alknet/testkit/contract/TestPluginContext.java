package io.alknet.testkit.contract;

import io.alknet.api.plugin.PluginContext;

import java.nio.file.Path;
import java.time.Clock;

/** A {@link PluginContext} for tests: a state directory of your choice and a clock. */
public record TestPluginContext(Path stateDirectory, Clock clock) implements PluginContext {

    public static TestPluginContext in(Path stateDirectory) {
        return new TestPluginContext(stateDirectory, Clock.systemUTC());
    }
}
