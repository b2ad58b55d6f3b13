package io.alknet.api.plugin;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the kernel offers every component a plugin creates.
 *
 * <p>Threading: all methods are safe from any thread.
 */
public interface PluginContext {

    /** alknet's state directory ({@code ~/.alknet} unless configured); may not exist yet. */
    Path stateDirectory();

    /** The clock to use for validity windows and expiry; tests may fix it. */
    Clock clock();
}
