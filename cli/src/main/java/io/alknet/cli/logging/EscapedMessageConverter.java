package io.alknet.cli.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg} with control characters escaped ({@link ControlCharacters}), for every logger:
 * a library that logs what a peer sent (MINA logs the client's KEXINIT name-lists when negotiation fails)
 * can no longer write a line break, so a peer cannot forge a line that fail2ban would read as alknet's.
 *
 * <pre>{@code <conversionRule conversionWord="safeMessage" class="io.alknet.cli.logging.EscapedMessageConverter"/>}</pre>
 */
public class EscapedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return ControlCharacters.escape(super.convert(event));
    }
}
