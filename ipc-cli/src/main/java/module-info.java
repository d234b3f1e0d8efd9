/**
 * The {@code ipc4j} command line tool ({@link io.ipc4j.cli.Main}). Command classes are opened to
 * picocli, which reads their annotations and fields reflectively.
 */
module io.ipc4j.cli {
    requires io.ipc4j.shm;
    requires io.ipc4j.workerpool;
    requires io.ipc4j.benchmarks;
    requires io.ipc4j.examples;
    requires info.picocli;

    opens io.ipc4j.cli to info.picocli;
    opens io.ipc4j.cli.shm to info.picocli;
    opens io.ipc4j.cli.bench to info.picocli;
    opens io.ipc4j.cli.demo to info.picocli;
    opens io.ipc4j.cli.stat to info.picocli;
    opens io.ipc4j.cli.example to info.picocli;
}
