/**
 * Kernel byte streams for ipc4j's control plane and as baselines: length-prefixed framing over
 * any channel ({@link io.ipc4j.pipes.framing}), named FIFOs ({@link io.ipc4j.pipes.fifo}), Unix
 * domain sockets with peer-credential checks ({@link io.ipc4j.pipes.uds}) and file-descriptor
 * passing ({@link io.ipc4j.pipes.fdpass}).
 */
module io.ipc4j.pipes {
    requires transitive io.ipc4j.posix;
    requires jdk.net;
    exports io.ipc4j.pipes.framing;
    exports io.ipc4j.pipes.fifo;
    exports io.ipc4j.pipes.uds;
    exports io.ipc4j.pipes.fdpass;
}
