package io.alknet.kernel.internal;

import io.alknet.api.plugin.PluginContext;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/** The {@link PluginContext} the kernel gives every component. */
record KernelPluginContext(Path stateDirectory, Clock clock) implements PluginContext {

    KernelPluginContext {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(clock, "clock");
    }
}
