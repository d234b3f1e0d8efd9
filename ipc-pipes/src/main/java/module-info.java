/** Pipes, FIFOs and Unix domain sockets with framing and fd passing (issue 4). */
module io.ipc4j.pipes {
    requires transitive io.ipc4j.posix;
    requires jdk.net;
    exports io.ipc4j.pipes.framing;
    exports io.ipc4j.pipes.fifo;
    exports io.ipc4j.pipes.uds;
}
