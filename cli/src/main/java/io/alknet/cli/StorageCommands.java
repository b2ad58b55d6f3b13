package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.Account;
import io.alknet.storage.Storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the account, org and credential commands share. */
final class StorageCommands {

    private StorageCommands() {
    }

    /** {@code value} as one of {@code type}'s constants, case-insensitively, or a usage error listing them. */
    static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw new AlknetException(ErrorCode.INVALID_ARGUMENT, option + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }

    static int setStatus(StorageCommandOptions storage, String account, Account.Status status,
                         picocli.CommandLine.Model.CommandSpec spec) {
        try (Storage opened = storage.open()) {
            Account changed = opened.accounts().setStatus(account, status);
            spec.commandLine().getOut().println("alknet: " + changed.email() + " is " + status.name().toLowerCase(Locale.ROOT));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
