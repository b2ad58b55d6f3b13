package io.alknet.cli.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;

import java.util.regex.Pattern;

/**
 * Logback's {@code %ex} (same options) made safe against messages a peer chose: control characters in every
 * exception's class name and message are escaped ({@link ControlCharacters}), and every line of the stack
 * trace, the first included, starts with a tab. Only an event line starts without white space, so an
 * anchored fail2ban filter can never match inside a stack trace, whatever an exception message says. Put it
 * after {@code %n}; it prints nothing for an event without an exception.
 *
 * <pre>{@code <conversionRule conversionWord="safeException" class="io.alknet.cli.logging.EscapedThrowableConverter"/>}</pre>
 */
public class EscapedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        String rendered = super.throwableProxyToString(new Escaped(throwable));
        String separator = CoreConstants.LINE_SEPARATOR;
        boolean ended = rendered.endsWith(separator);
        String body = ended ? rendered.substring(0, rendered.length() - separator.length()) : rendered;
        StringBuilder out = new StringBuilder(rendered.length() + 64);
        for (String line : body.split(Pattern.quote(separator), -1)) {
            // the separators and the indenting tabs are logback's own now (messages were escaped before
            // logback saw them); anything else that could break a line is escaped here
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == '\t') {
                indent++;
            }
            out.append('\t').append(line, 0, indent).append(ControlCharacters.escape(line.substring(indent))).append(separator);
        }
        return out.toString();
    }

    /** The exception as logback sees it, with class names and messages escaped, down every cause. */
    private record Escaped(IThrowableProxy delegate) implements IThrowableProxy {

        @Override
        public String getMessage() {
            return ControlCharacters.escape(delegate.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return ControlCharacters.escape(delegate.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return ControlCharacters.escape(delegate.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return delegate.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return delegate.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            IThrowableProxy cause = delegate.getCause();
            return cause == null ? null : new Escaped(cause);
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = delegate.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = new Escaped(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return delegate.isCyclic();
        }
    }
}
