package io.alknet.transport.tcp.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Maps socket connect failures to error codes. The socket exception is dropped on purpose: its message
 * names the destination, which must never reach a log.
 */
final class ConnectErrors {

    private ConnectErrors() {
    }

    static AlknetException map(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof ConnectException) && !(cause instanceof UnknownHostException)) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectTimeoutException || message.contains("timed out")) {
            return new AlknetException(ErrorCode.TARGET_TIMEOUT, "connection timed out");
        }
        if (cause instanceof UnknownHostException) {
            return new AlknetException(ErrorCode.TARGET_UNRESOLVED, "host name does not resolve");
        }
        if (message.contains("network is unreachable")) {
            return new AlknetException(ErrorCode.TARGET_NETWORK_UNREACHABLE, "network unreachable");
        }
        if (cause instanceof NoRouteToHostException || message.contains("unreachable") || message.contains("no route")) {
            return new AlknetException(ErrorCode.TARGET_UNREACHABLE, "host unreachable");
        }
        if (message.contains("refused")) {
            return new AlknetException(ErrorCode.TARGET_REFUSED, "connection refused");
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "connection failed: " + cause.getClass().getSimpleName());
    }
}
