package io.ipc4j.pipes.framing;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Child JVM for {@link ChildProcessFramingTest}: speaks frames on its stdin/stdout.
 * {@code echo}: echoes every frame until stdin ends, then exits 0.
 * {@code truncate}: writes a header announcing 64 bytes, then 17 bytes, then exits.
 */
public final class EchoChildMain {
    private EchoChildMain() {
    }

    public static void main(String[] args) throws Exception {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        if (args.length > 0 && args[0].equals("truncate")) {
            ByteBuffer b = ByteBuffer.allocate(4 + 17).order(ByteOrder.LITTLE_ENDIAN).putInt(64);
            out.write(b.array());
            out.flush();
            System.exit(0);
        }
        try (FramedChannel ch = FramedChannel.of(new FileInputStream(FileDescriptor.in), out, 1 << 20)) {
            ByteBuffer f;
            while ((f = ch.readFrame()) != null) {
                ch.writeFrame(f);
            }
        }
        System.exit(0);
    }
}
