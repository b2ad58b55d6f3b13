package io.alknet.api.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials alknet presents to another service (outbound). Pure data: no signing logic.
 * {@code toString()} of every variant masks its secrets.
 */
public sealed interface CredentialSet {

    record ApiKey(String headerName, String token) implements CredentialSet {
        public ApiKey {
            Objects.requireNonNull(headerName, "headerName");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "ApiKey[" + headerName + "=***]";
        }
    }

    record Basic(String username, String password) implements CredentialSet {
        public Basic {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Basic[" + username + ":***]";
        }
    }

    record Bearer(String token) implements CredentialSet {
        public Bearer {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    record S3AccessKey(String accessKey, String secretKey, Optional<String> sessionToken) implements CredentialSet {
        public S3AccessKey {
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
            Objects.requireNonNull(sessionToken, "sessionToken");
        }

        @Override
        public String toString() {
            return "S3AccessKey[" + accessKey + ":***]";
        }
    }

    record OidcToken(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt)
            implements CredentialSet {
        public OidcToken {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "OidcToken[***, expiresAt=" + expiresAt.map(Instant::toString).orElse("none") + "]";
        }
    }

    record Custom(String scheme, Map<String, String> params) implements CredentialSet {
        public Custom {
            Objects.requireNonNull(scheme, "scheme");
            params = Map.copyOf(params);
        }

        @Override
        public String toString() {
            return "Custom[" + scheme + ", keys=" + params.keySet() + "]";
        }
    }
}
