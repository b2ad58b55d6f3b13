package io.alknet.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * For tests that need PostgreSQL (the storage plugin's, the CLI's): a throwaway PostgreSQL cluster of the machine's own binaries (Debian's {@code postgresql} package): initdb in a
 * temporary directory, started on a free loopback port, one fresh database per test, stopped by its PID when the
 * test run ends. As root it runs as the {@code postgres} system user, since PostgreSQL refuses to run as root.
 * Register {@link Extension} on the test class; without the binaries it starts nothing, and tests should skip
 * (check {@link #binaries()}). The JDBC driver comes from the test's own class path.
 */
public final class PostgresCluster implements AutoCloseable {

    /** The cluster's superuser, who owns every test database. */
    public static final String USER = "alknet";
    /** Its password, for the loopback TCP connections (scram-sha-256). */
    public static final String PASSWORD = "alknet-test-password";

    /** Starts the run's cluster before the first class that needs it, and stops it when the run ends. */
    public static final class Extension implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            if (binaries().isPresent()) {
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .computeIfAbsent(PostgresCluster.class, key -> start(), PostgresCluster.class);
            }
        }
    }

    private static volatile PostgresCluster current;
    private final Path directory;
    private final int port;
    private final long pid;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresCluster(Path directory, int port, long pid) {
        this.directory = directory;
        this.port = port;
        this.pid = pid;
    }

    /** The folder with initdb and pg_ctl, if the machine has PostgreSQL. */
    public static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted(java.util.Comparator.reverseOrder()).forEach(version -> candidates.add(version.resolve("bin")));
        } catch (IOException noDebianLayout) {
            // not Debian's layout: look on the PATH
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry));
            }
        }
        return candidates.stream().filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    /** The run's cluster, once {@link Extension} started it. */
    public static PostgresCluster current() {
        return current;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static PostgresCluster start() {
        Path bin = binaries().orElseThrow();
        try {
            Path directory = Files.createTempDirectory("alknet-pg");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path passwordFile = directory.resolve("password");
            Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
            if (root()) {
                UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(directory, postgres);
                Files.setOwner(passwordFile, postgres);
            }
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path data = directory.resolve("data");
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth-local=trust",
                    "--auth-host=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-sync"), directory);
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", directory.resolve("server.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + directory + " -c fsync=off "
                            + "-c max_connections=200", "start"), directory);
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
            PostgresCluster cluster = new PostgresCluster(directory, port, pid);
            current = cluster;
            return cluster;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command, Path directory) throws IOException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(command.getFirst() + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new, empty database owned by {@link #USER}: its JDBC URL (the password is {@link #PASSWORD}). */
    public String newDatabase() {
        String name = "alknet_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /** Stops the server by its PID (SIGINT: PostgreSQL's fast shutdown) and removes its directory. */
    @Override
    public void close() throws Exception {
        current = null;
        Optional<ProcessHandle> server = ProcessHandle.of(pid);
        if (server.isPresent()) {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
            try {
                server.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                server.get().destroyForcibly();
            }
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
