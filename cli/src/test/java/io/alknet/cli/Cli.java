package io.alknet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code alknet} command as a real process, as a user would. */
final class Cli {

    private Cli() {
    }

    record Result(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    static List<String> command(String... args) {
        String jar = System.getProperty("alknet.cli.jar");
        String java = System.getProperty("alknet.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the CLI jar is missing; run the tests with ./mvnw verify (failsafe, after package)");
        }
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), args);
    }

    static Result run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ALKNET_SERVER");
        builder.environment().remove("ALKNET_IDENTITY");
        builder.environment().put("ALKNET_STATE_DIR", dir.resolve("state").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("alknet " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A long-running alknet process whose output is captured to files. */
    static final class Running implements AutoCloseable {
        final Process process;
        final Path stdout;
        final Path stderr;

        Running(Process process, Path stdout, Path stderr) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        String stdout() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }

        /** Waits until stdout or stderr contains {@code text}; fails if the process exits first. */
        String await(String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String all = stdout() + stderr();
                if (all.contains(text)) {
                    return all;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("alknet exited with " + process.exitValue() + " before printing '" + text
                            + "':\n" + all);
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("alknet did not print '" + text + "' within " + timeout + ":\n" + stdout() + stderr());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static Running start(Path dir, String... args) throws IOException {
        return startUnder(dir, List.of(), args);
    }

    /** {@link #start} run by {@code wrapper} (e.g. {@code nohup}), which execs the alknet command. */
    static Running startUnder(Path dir, List<String> wrapper, String... args) throws IOException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(command(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ALKNET_STATE_DIR", dir.resolve("state").toString());
        return new Running(builder.start(), out, err);
    }
}
