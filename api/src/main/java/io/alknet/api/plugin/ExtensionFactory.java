package io.alknet.api.plugin;

import java.util.List;
import java.util.Optional;

/**
 * What every factory a plugin contributes has in common: a name unique within its kind, and the settings it reads
 * under its prefix ({@code transport.<name>.}, {@code interface.<name>.}, …).
 *
 * <p>Threading: called by the kernel from one thread at startup (and by the CLI to print help); must return quickly.
 */
public interface ExtensionFactory {

    /** The name, unique among the factories of its kind, e.g. {@code tcp}, {@code ssh}, {@code keys}. */
    String name();

    /**
     * The settings this factory reads under its prefix. When declared, the kernel refuses any other key under the
     * prefix before anything starts (naming the closest declared one), checks the values against their types, masks
     * the secret ones in every printout, and {@code alknet serve} offers their flags; the factory still gets every
     * key the user gave, in {@link Settings}.
     *
     * <p>The default, empty, means "not declared" (a plugin written before declarations): the kernel then passes every
     * key under the prefix, and the factory must refuse unknown keys itself ({@link Settings#requireOnly}).
     * Declare an empty list for a factory that reads no settings.
     */
    default Optional<List<SettingSpec>> settings() {
        return Optional.empty();
    }
}
