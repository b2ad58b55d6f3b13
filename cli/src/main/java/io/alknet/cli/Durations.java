package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.Settings;

import java.time.Duration;
import java.util.Map;

/** Durations on the command line: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String flag, String value) {
        try {
            return Settings.of("", Map.of("v", value)).duration("v", Duration.ZERO);
        } catch (AlknetException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " '" + value + "' is not a duration like 500ms, 30s or 5m");
        }
    }
}
