package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns failures into one clear line on stderr ({@code error: …}) and a stable exit code. Stack traces
 * only with {@code --debug}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        Throwable cause = error;
        while (!(cause instanceof AlknetException) && cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        if (cause instanceof AlknetException alknet) {
            err.println("error: " + alknet.getMessage());
            if (Logging.debug()) {
                alknet.printStackTrace(err);
            }
            err.flush();
            return alknet.code() == ErrorCode.INVALID_ARGUMENT ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        err.println("error: " + error);
        if (Logging.debug()) {
            error.printStackTrace(err);
        } else {
            err.println("(this looks like a bug; run again with --debug for details and report it)");
        }
        err.flush();
        return ExitCodes.FAILED;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException error, String[] args) {
        CommandLine commandLine = error.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("error: " + error.getMessage());
        err.println("try: " + commandLine.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return ExitCodes.USAGE;
    }
}
