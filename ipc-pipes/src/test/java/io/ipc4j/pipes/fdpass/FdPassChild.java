package io.ipc4j.pipes.fdpass;

import io.ipc4j.posix.UnixAddress;
import io.ipc4j.shm.MemfdSegment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM for {@link FdPassMultiProcessTest}. Modes:
 * <ul>
 *   <li>{@code map SOCKET LABEL}: connects, receives a memfd, maps it, checks the pattern
 *       {@link #pattern(long)} on the first long of every page, prints
 *       {@code mapped ok=BOOL maps=BOOL} (maps: /proc/self/maps shows memfd:LABEL), writes its
 *       pid at offset 8, sends "answered", prints "answered", then holds everything until stdin
 *       says "close" (or ends).</li>
 *   <li>{@code connect SOCKET}: connects, prints "connected" and waits on stdin.</li>
 * </ul>
 */
public final class FdPassChild {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private FdPassChild() {
    }

    /**
     * @param page a page index
     * @return the long the parent writes at the start of that page
     */
    static long pattern(long page) {
        return page * 0x9E3779B97F4A7C15L + 1;
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        UnixAddress address = UnixAddress.path(args[1]);
        try (FdChannel channel = FdChannel.connect(address, WAIT)) {
            System.out.println("connected");
            if (args[0].equals("connect")) {
                stdin.readLine();
                return;
            }
            String label = args[2];
            MemfdSegment seg;
            try (FdMessage m = channel.receive(WAIT)) {
                seg = MemfdSegment.fromFd(m.fds().claim(0), false);
            }
            try (seg) {
                boolean ok = true;
                for (long page = 0; page < seg.size() / 4096; page++) {
                    ok &= seg.memory().get(ValueLayout.JAVA_LONG, page * 4096 + (page == 0 ? 16 : 0)) == pattern(page);
                }
                boolean maps = Files.readString(Path.of("/proc/self/maps")).contains("/memfd:" + label + " ");
                System.out.println("mapped ok=" + ok + " maps=" + maps);
                seg.memory().set(ValueLayout.JAVA_LONG, 8, ProcessHandle.current().pid());
                channel.send("answered");
                System.out.println("answered");
                String line;
                while ((line = stdin.readLine()) != null && !line.equals("close")) {
                    // hold the segment
                }
            }
            System.out.println("closed");
        }
    }
}
