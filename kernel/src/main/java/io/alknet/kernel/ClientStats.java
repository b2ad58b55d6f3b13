package io.alknet.kernel;

/**
 * A snapshot of a client's traffic, for status lines.
 *
 * @param connected   whether a session is up
 * @param openStreams tunnel channels open right now
 * @param totalStreams tunnel channels opened since start
 * @param bytesUp     bytes sent into tunnel channels
 * @param bytesDown   bytes received from tunnel channels
 * @param route       how the session reaches the server now ({@code tcp}, {@code tls}, {@code iroh direct},
 *                    {@code iroh relay}, …: {@link io.alknet.api.stream.TransportStream#route()}); empty when none is up
 */
public record ClientStats(boolean connected, int openStreams, long totalStreams, long bytesUp, long bytesDown, String route) {
}
