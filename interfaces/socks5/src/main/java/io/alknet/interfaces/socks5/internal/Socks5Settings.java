package io.alknet.interfaces.socks5.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the SOCKS5 front end ({@code frontend.socks5.*}).
 *
 * @param username          when set, clients must authenticate with RFC 1929 username/password
 * @param password          the password (secret; never printed)
 * @param handshakeTimeout  how long a client may take to send its request ({@code handshake-timeout}, 30s)
 * @param udp               whether UDP ASSOCIATE is served ({@code udp}, default true)
 */
record Socks5Settings(Optional<String> username, Optional<byte[]> password, Duration handshakeTimeout, boolean udp) {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.string("username", "Require SOCKS5 clients to log in (RFC 1929) with this user name."),
            SettingSpec.string("password", "The password SOCKS5 clients log in with.").asSecret(),
            SettingSpec.duration("handshake-timeout", "30s", "How long a client may take to send its request."),
            SettingSpec.bool("udp", true, "Serve UDP ASSOCIATE."));

    static Socks5Settings from(Settings settings) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        Optional<String> username = settings.get("username");
        Optional<byte[]> password = settings.get("password").map(p -> p.getBytes(StandardCharsets.UTF_8));
        if (username.isPresent() != password.isPresent()) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG,
                    "SOCKS5 authentication needs both a username and a password (--socks5-user and --socks5-password-file)");
        }
        if (username.isPresent() && (username.get().length() > 255 || password.get().length > 255)) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "SOCKS5 usernames and passwords are at most 255 bytes (RFC 1929)");
        }
        return new Socks5Settings(username, password, settings.duration("handshake-timeout", Duration.ofSeconds(30)),
                settings.bool("udp", true));
    }

    @Override
    public String toString() {
        return "Socks5Settings[username=" + username.orElse("none") + ", password=" + (password.isPresent() ? "***" : "none") + "]";
    }
}
