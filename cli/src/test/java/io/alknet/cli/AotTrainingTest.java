package io.alknet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up cache's training workload, shortened: every cipher carries its bytes, every SOCKS5 connect succeeds. */
class AotTrainingTest {

    @TempDir
    Path dir;

    @Test
    void trainsEveryCipherThroughTheForwardAndConnectsThroughSocks() throws Exception {
        StringWriter text = new StringWriter();
        // limits by bytes and count; the durations only bound a very slow machine
        new AotTraining(4L << 20, Duration.ofMinutes(1), 50, Duration.ofMinutes(1)).run(dir, new PrintWriter(text));

        String printed = text.toString();
        for (String cipher : AotTraining.CIPHERS) {
            assertThat(printed).contains("[train] " + cipher + ": 4 MB through -L");
        }
        assertThat(printed).contains("[train] 50 SOCKS5 connects");
    }
}
