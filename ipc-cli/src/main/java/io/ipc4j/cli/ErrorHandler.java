package io.ipc4j.cli;

import io.ipc4j.IpcException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.List;

/**
 * Turns failures into one line on stderr: {@code ipc4j: message}.
 *
 * <ul>
 *   <li>Usage errors (bad option, missing argument, unknown command): exit code 2 and a pointer
 *       to the command's {@code --help}.</li>
 *   <li>Runtime errors: exit code 1. An {@link IpcException} shows its message (it is written for
 *       people); anything else is a bug and shows its type too. With {@code --verbose} the stack
 *       trace follows the line.</li>
 * </ul>
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final String PREFIX = "ipc4j: ";

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        StringBuilder line = new StringBuilder(PREFIX).append(oneLine(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean: ").append(String.join(", ", suggestions)).append('?');
            }
        }
        line.append(" (see '").append(cl.getCommandSpec().qualifiedName()).append(" --help')");
        PrintWriter err = cl.getErr();
        err.println(line);
        if (List.of(args).contains(Main.VERBOSE)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = isVerbose(parseResult);
        if (ex instanceof IpcException) {
            err.println(PREFIX + oneLine(ex.getMessage()));
        } else {
            err.println(PREFIX + "internal error: " + oneLine(ex.toString())
                    + (verbose ? "" : " (run with " + Main.VERBOSE + " for the stack trace)"));
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    /** @return true when {@code --verbose} was given on any command of the parsed chain */
    static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption(Main.VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
