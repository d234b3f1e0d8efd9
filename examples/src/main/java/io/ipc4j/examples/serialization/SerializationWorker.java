package io.ipc4j.examples.serialization;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The usual way's worker JVM: connects to the caller's Unix domain socket, then reads
 * {@link StatsJob}s with an {@link ObjectInputStream}, computes {@link Stats} and writes each
 * result back with an {@link ObjectOutputStream} (reset after every message, so nothing is
 * cached between jobs). A {@code null} job, or the end of the stream, stops it.
 */
public final class SerializationWorker {
    private static final int STREAM_BUFFER = 64 * 1024;

    private SerializationWorker() {
    }

    /**
     * @param args the socket path, and the largest input in floats to accept
     * @throws Exception when the caller goes away mid-job or sends something else
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SerializationWorker SOCKET MAX_FLOATS");
            System.exit(2);
        }
        long maxFloats = Long.parseLong(args[1]);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
            ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), STREAM_BUFFER));
            out.flush();                                           // the stream header, so the caller's reader starts
            ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Channels.newInputStream(ch), STREAM_BUFFER));
            // never deserialize what we did not ask for, and bound every array (not maxrefs: it counts
            // every object the stream ever read, reset() or not)
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                    "maxarray=" + maxFloats + ";maxdepth=4;" + StatsJob.class.getName() + ";!*"));
            while (true) {
                StatsJob job;
                try {
                    job = (StatsJob) in.readObject();
                } catch (EOFException callerClosed) {
                    return;
                }
                if (job == null) {
                    return;
                }
                out.writeObject(Stats.of(job.id(), MemorySegment.ofArray(job.values())));
                out.reset();
                out.flush();
            }
        }
    }
}
