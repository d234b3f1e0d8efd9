/**
 * libc through {@code java.lang.foreign}: the only ipc4j module that calls native code.
 *
 * <p>Grant it native access with {@code --enable-native-access=io.ipc4j.posix}; no other
 * module needs it. It also holds the library-wide {@link io.ipc4j.IpcException} family and
 * process identity/spawning helpers ({@link io.ipc4j.process}).
 */
module io.ipc4j.posix {
    exports io.ipc4j;
    exports io.ipc4j.posix;
    exports io.ipc4j.process;
}
