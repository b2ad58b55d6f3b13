package com.example.authdirectory;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Creates a {@link DirectoryProvider}. Settings (under {@code identity.directory.}):
 * <ul>
 *   <li>{@code file} (required): one or more directory files, comma-separated (see {@link DirectoryFile});
 *       a uid, a key fingerprint or a secret hash may appear only once across all of them;</li>
 *   <li>{@code match-user} (default {@code false}): when true, an SSH login must ask for the entry's uid as
 *       its user name ({@code ssh carol@host}); another name is rejected with {@code user_mismatch}.</li>
 * </ul>
 * The files are read here, once: the kernel calls {@link #create} again on every reload, so an edited file
 * takes effect at the next reload, and a broken one keeps the previous provider in force.
 */
public final class DirectoryProviderFactory implements IdentityProviderFactory {

    /** The provider's (and the plugin's) name. */
    public static final String NAME = "directory";

    static final Set<String> KEYS = Set.of("file", "match-user");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IdentityProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(KEYS);
        List<String> files = settings.list("file");
        if (files.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "missing setting '" + settings.prefix()
                    + "file' (the directory file: one entry per line, see the example's README)");
        }
        List<DirectoryEntry> entries = new ArrayList<>();
        for (String file : files) {
            entries.addAll(DirectoryFile.read(Path.of(file)));
        }
        DirectoryFile.checkUnique(entries, String.join(", ", files));
        return new DirectoryProvider(entries, context.clock(), settings.bool("match-user", false));
    }
}
