package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.atomicity.ValidationError;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code atomic-checkpoint} command line. Exit codes: 0 success, 1 a negative answer (an invalid or missing
 * checkpoint, nothing committed), 2 an error (bad arguments, a store failure).
 */
@Command(name = "atomic-checkpoint", mixinStandardHelpOptions = true, version = "atomic-checkpoint 0.1.0-SNAPSHOT",
        description = "Operate atomic checkpoints on file://, gs://, s3:// and az:// locations (and plain local paths).",
        subcommands = {ListCommand.class, LatestCommand.class, InspectCommand.class, VerifyCommand.class,
                GcCommand.class, UploadCommand.class},
        footer = {"", "Exit codes: 0 success, 1 invalid or not found, 2 error."})
public final class Main implements Runnable {
    /** Success. */
    public static final int OK = 0;
    /** A negative answer: the checkpoint is invalid, or there is none. */
    public static final int NEGATIVE = 1;
    /** Bad arguments or a failure. */
    public static final int ERROR = 2;

    final Console console;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Console console) {
        this.console = console;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, new Console(out, err, System.getenv(), System.console() != null)));
    }

    /** Runs one command line; what it prints goes to {@code console}. */
    public static int execute(String[] args, Console console) {
        CommandLine cli = new CommandLine(new Main(console));
        cli.setOut(console.out()).setErr(console.err());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            boolean invalid = e instanceof ValidationError;
            console.err().println((invalid ? "invalid: " : "error: ") + Messages.quote(describe(e)));
            return invalid ? NEGATIVE : ERROR;
        });
        int code = cli.execute(args);
        console.out().flush();
        console.err().flush();
        return code;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * Where a command prints and what it may know of its surroundings.
     *
     * @param out results (text or JSON)
     * @param err diagnostics and progress
     * @param env the environment, for settings
     * @param terminal whether a person is watching (progress bars are drawn only then, unless forced)
     */
    public record Console(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal) {
    }
}
