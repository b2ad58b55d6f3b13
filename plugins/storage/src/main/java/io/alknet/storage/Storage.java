package io.alknet.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The storage: a connection pool on SQLite or PostgreSQL whose schema Flyway has migrated, and the transactions
 * run on it. Every write emits its change events into the outbox in the same transaction.
 *
 * <p>SQLite runs in WAL mode with {@code busy_timeout} 5000 ms and foreign keys on; writes take one lock per file in
 * this process and begin {@code IMMEDIATE}, so writers queue here rather than failing with {@code SQLITE_BUSY}, and
 * another process writing the same file (the CLI beside a server) waits for the busy timeout. On PostgreSQL writes
 * run concurrently; their outbox rows are serialized by an advisory lock held to commit, so change positions
 * commit in order.
 *
 * <p>Threading: thread-safe. {@link #write} and {@link #read} block the calling thread on the database; call them
 * from virtual threads or worker threads, never from an I/O event loop. {@link #close()} is called by whoever opened
 * it, after its last use.
 */
public final class Storage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
    /** The advisory lock key PostgreSQL writers take before writing outbox rows ("alkn" in ASCII). */
    private static final long OUTBOX_LOCK = 0x616c6b6eL;
    private static final Map<Path, ReentrantLock> SQLITE_WRITERS = new ConcurrentHashMap<>();

    /** Work done in a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Transaction transaction) throws SQLException;
    }

    private final StorageOptions options;
    private final HikariDataSource pool;
    private final ReentrantLock writer;
    private final Clock clock;
    private final Object changed = new Object();
    private long localChanges;

    private Storage(StorageOptions options, HikariDataSource pool, ReentrantLock writer, Clock clock) {
        this.options = options;
        this.pool = pool;
        this.writer = writer;
        this.clock = clock;
    }

    /** Opens the storage and migrates its schema to the newest version. */
    public static Storage open(StorageOptions options) {
        return open(options, Clock.systemUTC());
    }

    /**
     * Opens the storage and migrates its schema to the newest version.
     *
     * @throws AlknetException {@code INVALID_CONFIG} when the database cannot be reached or migrated, saying why
     */
    public static Storage open(StorageOptions options, Clock clock) {
        Objects.requireNonNull(options, "options");
        StorageUrl url = options.url();
        HikariConfig config = new HikariConfig();
        config.setPoolName("alknet-storage");
        ReentrantLock writer = null;
        switch (url.vendor()) {
            case SQLITE -> {
                Path file = url.sqliteFile();
                try {
                    if (file.getParent() != null) {
                        Files.createDirectories(file.getParent());
                    }
                } catch (IOException e) {
                    throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot create the directory of " + file + ": " + e.getMessage());
                }
                SQLiteConfig sqlite = new SQLiteConfig();
                sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
                sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
                sqlite.setBusyTimeout(5000);
                sqlite.enforceForeignKeys(true);
                // a write transaction takes the file's write lock at BEGIN, where busy_timeout applies, rather
                // than upgrading a read lock later, which fails at once with SQLITE_BUSY
                sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
                SQLiteDataSource source = new SQLiteDataSource(sqlite);
                source.setUrl(url.jdbcUrl());
                config.setDataSource(source);
                config.setMaximumPoolSize(5); // one writer at a time and up to four readers (spec 8.1)
                writer = SQLITE_WRITERS.computeIfAbsent(file.toAbsolutePath().normalize(), key -> new ReentrantLock(true));
            }
            case POSTGRESQL -> {
                config.setJdbcUrl(url.jdbcUrl());
                options.user().ifPresent(config::setUsername);
                options.password().ifPresent(config::setPassword);
                config.setMaximumPoolSize(10);
            }
        }
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot open storage " + url + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure(Storage.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + url.vendor().flywayName())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot migrate storage " + url + ": " + rootMessage(e), e);
        }
        LOG.info("storage.opened url={} vendor={}", url, url.vendor().flywayName());
        return new Storage(options, pool, writer, clock);
    }

    public StorageOptions options() {
        return options;
    }

    public Clock clock() {
        return clock;
    }

    /** The accounts, organisations, credentials and audit log. */
    public Accounts accounts() {
        return new Accounts(this);
    }

    /** The metagraph. */
    public Graphs graphs() {
        return new Graphs(this);
    }

    /** The change stream: every change, in order, to consumers that keep offsets. */
    public ChangeStream changes() {
        return new ChangeStream(this);
    }

    /**
     * Runs {@code work} in one transaction and commits it with the changes it emitted; rolls back if it throws.
     * Writes in this process to a SQLite file run one at a time.
     */
    public <T> T write(Work<T> work) {
        if (writer != null) {
            writer.lock();
        }
        boolean emitted;
        T result;
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Transaction transaction = new Transaction(connection, true, clock.instant().getEpochSecond());
                result = work.run(transaction);
                emitted = !transaction.changes().isEmpty();
                writeChanges(transaction);
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e, "transaction");
        } finally {
            if (writer != null) {
                writer.unlock();
            }
        }
        if (emitted) {
            synchronized (changed) {
                localChanges++;
                changed.notifyAll();
            }
        }
        return result;
    }

    /** Runs {@code work}, which only reads, outside any explicit transaction. */
    public <T> T read(Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(new Transaction(connection, false, clock.instant().getEpochSecond()));
        } catch (SQLException e) {
            throw translate(e, "read");
        }
    }

    /**
     * Waits up to {@code millis} for a write in this process to commit changes. Another process's writes are
     * seen only by polling, which callers do after this returns.
     */
    void awaitLocalChange(long seen, long millis) throws InterruptedException {
        synchronized (changed) {
            if (localChanges == seen) {
                changed.wait(millis);
            }
        }
    }

    /** Wakes every {@link #awaitLocalChange} waiter, so a subscription being closed sees its flag. */
    void wakeWaiters() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    long localChanges() {
        synchronized (changed) {
            return localChanges;
        }
    }

    private void writeChanges(Transaction transaction) throws SQLException {
        if (transaction.changes().isEmpty()) {
            return;
        }
        Connection connection = transaction.connection();
        if (options.url().vendor() == StorageUrl.Vendor.POSTGRESQL) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, OUTBOX_LOCK);
                lock.execute();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO changes (topic, entity_id, payload, created_at) VALUES (?, ?, ?, ?)")) {
            for (Transaction.Change change : transaction.changes()) {
                insert.setString(1, change.topic());
                insert.setString(2, change.entityId());
                insert.setString(3, change.payload());
                insert.setLong(4, transaction.now());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A database error as the caller should see it: a broken rule is the caller's mistake, the rest is ours. */
    static AlknetException translate(SQLException e, String what) {
        boolean constraint = "23505".equals(e.getSQLState()) || "23503".equals(e.getSQLState()) || "23514".equals(e.getSQLState())
                || e instanceof SQLiteException && (e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_CONSTRAINT.code;
        if (constraint) {
            return new AlknetException(ErrorCode.INVALID_ARGUMENT, "storage refused the change: " + firstLine(e.getMessage()), e);
        }
        return new AlknetException(ErrorCode.INTERNAL, "storage " + firstLine(what) + " failed: " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root.getMessage() != null ? root.getMessage() : root.toString());
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Storage[" + options.url() + "]";
    }
}
