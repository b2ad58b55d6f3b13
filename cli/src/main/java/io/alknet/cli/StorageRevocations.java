package io.alknet.cli;

import io.alknet.kernel.ServerOptions;
import io.alknet.storage.ChangeStream;
import io.alknet.storage.Storage;
import io.alknet.storage.StorageOptions;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Applies changes made to the storage outside this server (by {@code alknet credential revoke}, {@code account
 * suspend}, another server on the same PostgreSQL) to its live sessions: it polls the storage's change stream and,
 * when a credential, account or membership changed, reloads, which re-resolves every session's credential and
 * closes those that no longer resolve (the same path a reload of authorized keys takes). Started from where
 * the stream's head is at startup: every session is new then, so nothing before it matters, and no offset is kept.
 *
 * <p>Threading: polls on one virtual thread; {@link #close()} stops it.
 */
final class StorageRevocations implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(200);
    private static final Set<String> IDENTITY_TABLES = Set.of("accounts", "organizations", "organization_members", "peer_credentials", "api_keys");

    private final Storage storage;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;

    private StorageRevocations(Storage storage, LongSupplier reload, PrintWriter err) {
        this.storage = storage;
        long start = storage.changes().head();
        this.thread = Thread.ofVirtual().name("alknet-storage-revocations").start(() -> follow(start, reload, err));
    }

    /** Follows the storage the server's {@code storage} identity provider uses, if it has one. */
    static Optional<StorageRevocations> start(ServerOptions options, LongSupplier reload, PrintWriter err) {
        if (!options.identityProviders().contains("storage")) {
            return Optional.empty();
        }
        String url = options.settings().get("identity.storage.url");
        if (url == null) {
            return Optional.empty();
        }
        Storage storage = Storage.open(StorageOptions.of(url, Optional.ofNullable(options.settings().get("identity.storage.user")),
                Optional.ofNullable(options.settings().get("identity.storage.password-file")).map(Path::of), System.getenv()));
        return Optional.of(new StorageRevocations(storage, reload, err));
    }

    private void follow(long start, LongSupplier reload, PrintWriter err) {
        long position = start;
        while (!stopped.get()) {
            try {
                List<ChangeStream.Change> changes = storage.changes().after(position, 1000);
                if (!changes.isEmpty()) {
                    position = changes.getLast().position();
                    if (changes.stream().anyMatch(change -> IDENTITY_TABLES.contains(table(change.topic())))) {
                        reload.getAsLong();
                    }
                    continue;
                }
            } catch (RuntimeException e) {
                if (stopped.get()) {
                    return;
                }
                err.println("alknet: warning: storage changes not applied to live sessions yet: " + e.getMessage());
                err.flush();
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String table(String topic) {
        int colon = topic.indexOf(':');
        return colon < 0 ? topic : topic.substring(0, colon);
    }

    @Override
    public void close() {
        stopped.set(true);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storage.close();
    }
}
