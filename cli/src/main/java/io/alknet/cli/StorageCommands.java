package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.Account;
import io.alknet.storage.Storage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
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
        return printing(storage, spec, opened -> "alknet: " + opened.accounts().setStatus(account, status).email() + " is "
                + status.name().toLowerCase(Locale.ROOT));
    }

    /** Opens the storage, runs {@code action} on it, prints what it returns on stdout and closes the storage. */
    static int printing(StorageCommandOptions storage, picocli.CommandLine.Model.CommandSpec spec, Function<Storage, String> action) {
        try (Storage opened = storage.open()) {
            String text = action.apply(opened);
            spec.commandLine().getOut().println(text);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /** Rows under a header, in columns of {@code format}. */
    static String table(String format, List<Object[]> rows, Object... header) {
        StringBuilder text = new StringBuilder(String.format(format, header));
        rows.forEach(row -> text.append('\n').append(String.format(format, row)));
        return text.toString();
    }
}
