package io.alknet.api.plugin;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a plugin's state files (keys, certificates, key lists, usually under
 * {@link PluginContext#stateDirectory()}) so that a reader never sees half a file: the content goes to a
 * temporary file beside the target, which is then moved into place. A secret is readable by its owner
 * only from the first byte written (mode 600 where the file system has POSIX permissions); other files
 * end up 644.
 */
public final class StateFiles {

    private StateFiles() {
    }

    /** Writes {@code file}, replacing what was there; creates missing parent directories. */
    public static void replace(Path file, byte[] content, boolean ownerOnly) throws IOException {
        write(file, content, ownerOnly, true);
    }

    /**
     * Writes {@code file} only if it does not exist yet (say a generated key: two processes starting at once
     * must not both believe their own key is the stored one); creates missing parent directories.
     *
     * @throws FileAlreadyExistsException if it exists, left unchanged
     */
    public static void create(Path file, byte[] content, boolean ownerOnly) throws IOException {
        write(file, content, ownerOnly, false);
    }

    private static void write(Path file, byte[] content, boolean ownerOnly, boolean replace) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException notADirectory) {
            // not to be mistaken for the file itself existing
            throw new java.nio.file.NotDirectoryException(notADirectory.getFile());
        }
        Path temporary = Files.createTempFile(parent, ".alknet-", ".tmp");
        try {
            try {
                // a temporary file starts as 600; what is not secret becomes readable by others only once complete
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions
            }
            Files.write(temporary, content);
            if (!replace) {
                try {
                    Files.createLink(file, temporary); // atomic, and fails if the file exists (a rename replaces)
                } catch (FileAlreadyExistsException exists) {
                    throw exists;
                } catch (UnsupportedOperationException | FileSystemException noLinks) {
                    Files.move(temporary, file); // no hard links here (FAT, some shared folders): refuses an existing file too
                }
                return;
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
