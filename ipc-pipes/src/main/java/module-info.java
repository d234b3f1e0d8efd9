/** Pipes, FIFOs and Unix domain sockets with framing and fd passing (issue 4: not built yet). */
module io.ipc4j.pipes {
    requires transitive io.ipc4j.posix;
    exports io.ipc4j.pipes.fdpass;
}
