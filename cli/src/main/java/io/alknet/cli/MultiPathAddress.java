package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.transport.TransportAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One address for a server with several ways in, as {@code alknet serve} prints it and {@code alknet connect} takes it:
 * {@code alknet://PATH,PATH,...#SHA256:HOSTKEY} — the paths in order of preference, each an address as
 * {@code --via} takes it (a comma starts a new path only where a scheme follows), and the server's host key
 * fingerprint, which every path must present. The first path is ADDRESS, the others are raced with it
 * ({@code --via}); the fingerprint pins the host key unless {@code --host-key-fingerprint} or {@code --known-hosts}
 * says otherwise.
 *
 * @param paths       the paths, at least one
 * @param fingerprint the host key's SHA-256 fingerprint, when the address carries one
 */
record MultiPathAddress(List<TransportAddress> paths, Optional<String> fingerprint) {

    static final String PREFIX = "alknet://";
    private static final Pattern NEXT_PATH = Pattern.compile(",(?=[A-Za-z][A-Za-z0-9+.-]*://)");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    static boolean is(String text) {
        return text != null && text.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses {@code alknet://...}.
     *
     * @throws AlknetException (INVALID_ARGUMENT) naming what is wrong
     */
    static MultiPathAddress parse(String text, String flag) {
        String rest = text.substring(PREFIX.length());
        Optional<String> fingerprint = Optional.empty();
        int hash = rest.lastIndexOf('#');
        if (hash >= 0) {
            String given = rest.substring(hash + 1);
            if (!FINGERPRINT.matcher(given).matches()) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + ": '#" + given
                        + "' is not a host key fingerprint like #SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
            }
            fingerprint = Optional.of(given);
            rest = rest.substring(0, hash);
        }
        if (rest.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text
                    + ": no path; write alknet://tcp://HOST:PORT,tls://HOST:PORT,iroh://ENDPOINT_ID#SHA256:... as alknet serve prints it");
        }
        List<TransportAddress> paths = new ArrayList<>();
        for (String path : NEXT_PATH.split(rest)) {
            if (!path.contains("://")) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + ": path '" + path
                        + "' has no scheme; each path is tcp://HOST:PORT, tls://HOST:PORT or iroh://ENDPOINT_ID");
            }
            paths.add(Addresses.parse(path, null, 22, flag));
        }
        return new MultiPathAddress(List.copyOf(paths), fingerprint);
    }

    /**
     * The address of a server listening on {@code listening} (its SSH listeners, as bound) with host key
     * {@code fingerprint}: a wildcard host (0.0.0.0, ::) becomes {@code advertised}, else this machine's host name.
     */
    static String format(List<TransportAddress> listening, String fingerprint, Optional<String> advertised) {
        List<String> paths = new ArrayList<>();
        for (TransportAddress address : listening) {
            if (address.scheme().equals("iroh")) {
                paths.add(address.toString());
            } else {
                String host = address.host();
                boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
                paths.add(wildcard ? new TransportAddress(address.scheme(), advertised.orElseGet(MultiPathAddress::hostName), address.port(),
                        address.params()).toString() : address.toString());
            }
        }
        return PREFIX + String.join(",", paths) + (fingerprint == null ? "" : "#" + fingerprint);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
