package io.alknet.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code fail2ban-regex} (Debian package fail2ban, installed by .ci/run) with the shipped filter
 * {@code docs/fail2ban/filter.d/alknet.conf} over a log file, and reads back which lines it matched.
 */
public final class Fail2banRegex {

    private static final Pattern SUMMARY = Pattern.compile("Lines: (\\d+) lines, (\\d+) ignored, (\\d+) matched, (\\d+) missed");

    /** What fail2ban-regex said: the whole output, and the lines it counted as failures. */
    public record Result(String output, List<String> matched) {
    }

    private Fail2banRegex() {
    }

    public static Path filter() {
        return Path.of(System.getProperty("alknet.root", "..")).resolve("docs/fail2ban/filter.d/alknet.conf").toAbsolutePath();
    }

    public static Result run(Path log) throws Exception {
        Path regex = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, "fail2ban-regex")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("fail2ban-regex is not on PATH: apt-get install fail2ban (.ci/run does this)"));
        Process run = new ProcessBuilder(regex.toString(), "--print-all-matched", log.toString(), filter().toString())
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        Matcher summary = SUMMARY.matcher(output);
        assertThat(summary.find()).as(output).isTrue();
        int count = Integer.parseInt(summary.group(3));
        List<String> matched = List.of();
        int start = output.indexOf("|- Matched line(s):");
        if (start >= 0) {
            int end = output.indexOf("\n`-", start);
            matched = output.substring(output.indexOf('\n', start) + 1, end).lines()
                    .map(line -> line.startsWith("|  ") ? line.substring(3) : line).toList();
        }
        assertThat(matched).as("every matched line is printed\n" + output).hasSize(count);
        return new Result(output, matched);
    }
}
