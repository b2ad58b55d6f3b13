package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.secret.SecretException;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a passphrase or a mnemonic for the {@code secret} commands: from a file, from an inherited file descriptor, or
 * from the terminal without echo. Whatever it returns is a {@code char[]} the caller wipes; the bytes it read are
 * wiped here, and nothing is kept in a {@code String}.
 */
final class SecretInput {

    private SecretInput() {
    }

    /**
     * The secret from {@code file}, else from descriptor {@code fd}, else typed at the terminal (twice when
     * {@code confirm}). One trailing line break of a file or descriptor is dropped.
     *
     * @throws AlknetException {@code INVALID_ARGUMENT} when there is no terminal and neither source was given
     */
    static char[] read(String what, Path file, Integer fd, boolean confirm, String hint) {
        if (file != null && fd != null) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "give the " + what + " either as a file or as a descriptor, not both");
        }
        if (file != null) {
            try {
                return fromBytes(what, Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the " + what + " file " + file + " does not exist");
            } catch (IOException e) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "cannot read the " + what + " file " + file + ": " + e.getMessage());
            }
        }
        if (fd != null) {
            try (InputStream in = Files.newInputStream(Path.of("/dev/fd/" + fd))) {
                return fromBytes(what, firstLine(in));
            } catch (IOException e) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "cannot read the " + what + " from descriptor " + fd + ": " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "no terminal to read the " + what + " from; " + hint);
        }
        char[] typed = console.readPassword("%s: ", capitalized(what));
        if (typed == null || typed.length == 0) {
            wipe(typed);
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "no " + what + " given");
        }
        if (confirm) {
            char[] again = console.readPassword("%s again: ", capitalized(what));
            boolean same = Arrays.equals(typed, again);
            wipe(again);
            if (!same) {
                wipe(typed);
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the two " + what + "s differ; nothing was written");
            }
        }
        return typed;
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    /** Bytes up to the first line break or the end, read one at a time so no buffer keeps the rest. */
    private static byte[] firstLine(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int length = 0;
        int next;
        while (length < buffer.length && (next = in.read()) != -1 && next != '\n') {
            buffer[length++] = (byte) next;
        }
        byte[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, (byte) 0);
        return line;
    }

    /** UTF-8 {@code bytes} (wiped) without a trailing line break, as chars. */
    private static char[] fromBytes(String what, byte[] bytes) {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        char[] buffer = new char[end];
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer out = CharBuffer.wrap(buffer);
            CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, 0, end), out, true);
            if (result.isError() || decoder.flush(out).isError()) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the " + what + " is not UTF-8 text");
            }
            if (out.position() == 0) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the " + what + " is empty");
            }
            return Arrays.copyOf(buffer, out.position());
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(buffer, '\0');
        }
    }

    static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    /** A failure of the local secret code as the CLI reports it: a bad path or argument is a usage error (exit 2). */
    static AlknetException failure(SecretException e) {
        ErrorCode code = switch (e.code()) {
            case SecretException.INVALID_PATH, SecretException.INVALID_INPUT -> ErrorCode.INVALID_ARGUMENT;
            default -> ErrorCode.INVALID_KEY;
        };
        return new AlknetException(code, e.getMessage(), e);
    }

    /** Prints a secret's characters (a new mnemonic) without making a String of them. */
    static void print(PrintWriter out, char[] chars) {
        out.write(chars);
        out.println();
        out.flush();
    }
}
