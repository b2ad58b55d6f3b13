package io.alknet.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.alknet.cli.Fail2banRegex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped {@code logback.xml} with messages and exceptions that carry forged alknet events behind every
 * kind of line break: each line it writes starts with alknet's time stamp or, inside a stack trace, a tab,
 * and the shipped fail2ban filter ({@code fail2ban-regex}) counts only the real event.
 */
class EscapedThrowableConverterTest {

    private static final String FORGED = "2026-11-29T06:00:01.123Z WARN  audit auth.failure remote_addr=203.0.113.99 "
            + "remote_port=4711 transport=tcp user=root method=publickey key=- reason=unknown_key ";
    private static final List<String> BREAKS = List.of("\n", "\r\n", "\r", "\n ", "\u000b", "\u000c", "\u001c", "\u0085",
            "\u2028", "\u2029", "\u001b[2K\r");

    @TempDir
    Path dir;

    /** An exception whose text is all the peer's, the way a library may build one from what it received. */
    static final class PeerChosenException extends IOException {
        PeerChosenException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return "peer said: " + getMessage();
        }
    }

    @Test
    void noMessageOrStackTraceStartsALineTheFilterCounts() throws Exception {
        String forged = String.join("", BREAKS.stream().map(lineBreak -> lineBreak + FORGED).toList()) + "\n";
        String written = writeWithShippedConfig(context -> {
            Logger library = context.getLogger("org.apache.sshd.common.session.helpers.AbstractSession");
            library.warn("Unable to negotiate key exchange for kex algorithms (client: nope{} / server: x)", forged);
            IOException cause = new PeerChosenException("inner" + forged, new IllegalArgumentException(forged));
            IOException failure = new IOException("outer" + forged, cause);
            failure.addSuppressed(new RuntimeException("suppressed" + forged));
            library.warn("exceptionCaught" + forged, failure);
            context.getLogger("alknet.audit").warn("auth.failure remote_addr=198.51.100.7 remote_port=51514 transport=tcp "
                    + "user=root method=publickey key=- reason=unknown_key");
        });

        assertThat(written).contains("203.0.113.99").contains("\tjava.io.IOException: outer").contains("\tCaused by: ")
                .contains("Suppressed: java.lang.RuntimeException: suppressed").contains("peer said: inner");
        assertThat(written.lines()).as(written).allSatisfy(line ->
                assertThat(line).matches("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) |\t).*"));
        Path log = dir.resolve("alknet.log");
        Files.writeString(log, written);
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output()).singleElement().asString().contains("remote_addr=198.51.100.7 ");
    }

    private interface Logging {
        void run(LoggerContext context) throws Exception;
    }

    /** Configures a fresh logger context from the shipped logback.xml and returns what it wrote to stderr. */
    private static String writeWithShippedConfig(Logging logging) throws Exception {
        URL shipped = EscapedThrowableConverterTest.class.getClassLoader().getResource("logback.xml");
        assertThat(shipped).as("cli's logback.xml on the class path").isNotNull();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(shipped);
            logging.run(context);
        } finally {
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
