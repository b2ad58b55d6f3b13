package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.ErrorCode;

/**
 * The channel-open failure descriptions alknet sends and parses back. Clients map them to precise
 * SOCKS reply codes; they never name the destination.
 */
public final class OpenFailures {

    private OpenFailures() {
    }

    public static String describe(ErrorCode code, Throwable error) {
        return switch (code) {
            // the reason code says "administratively prohibited" already: OpenSSH prints it before this text
            case FORWARD_DENIED, QUOTA_EXCEEDED -> firstLine(error);
            case TARGET_REFUSED -> "connection refused";
            case TARGET_UNREACHABLE -> "host unreachable";
            case TARGET_NETWORK_UNREACHABLE -> "network unreachable";
            case TARGET_UNRESOLVED -> "host name does not resolve";
            case TARGET_TIMEOUT -> "connection timed out";
            default -> "connect failed";
        };
    }

    /** Maps an open failure (reason code and description) back to an error code. */
    public static ErrorCode parse(int reason, String description) {
        String text = description == null ? "" : description.toLowerCase(java.util.Locale.ROOT);
        if (reason == org.apache.sshd.common.SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED) {
            return ErrorCode.FORWARD_DENIED;
        }
        if (reason == org.apache.sshd.common.SshConstants.SSH_OPEN_RESOURCE_SHORTAGE && text.contains("quota")) {
            return ErrorCode.QUOTA_EXCEEDED;
        }
        if (text.contains("refused")) {
            return ErrorCode.TARGET_REFUSED;
        }
        if (text.contains("network unreachable")) {
            return ErrorCode.TARGET_NETWORK_UNREACHABLE;
        }
        if (text.contains("unreachable") || text.contains("no route")) {
            return ErrorCode.TARGET_UNREACHABLE;
        }
        if (text.contains("resolve")) {
            return ErrorCode.TARGET_UNRESOLVED;
        }
        if (text.contains("timed out")) {
            return ErrorCode.TARGET_TIMEOUT;
        }
        return ErrorCode.CONNECTION_FAILED;
    }

    private static String firstLine(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "denied" : cause.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
