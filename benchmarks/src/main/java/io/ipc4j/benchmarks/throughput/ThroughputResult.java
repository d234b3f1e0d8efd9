package io.ipc4j.benchmarks.throughput;

import java.util.List;
import java.util.Locale;

/**
 * One streaming run.
 *
 * @param transport  what carried the frames, e.g. {@code "uds"}
 * @param frameBytes payload bytes per frame
 * @param frames     measured frames (after the warm-up ones)
 * @param nanos      from the first measured frame's write to the child's acknowledgement of the last
 */
public record ThroughputResult(String transport, int frameBytes, long frames, long nanos) {
    /** @return payload bytes moved in the measured part */
    public long bytes() {
        return (long) frameBytes * frames;
    }

    /** @return payload gigabytes (10^9 bytes) per second */
    public double gbPerSecond() {
        return bytes() / (double) nanos;
    }

    /** @return payload gibibytes (2^30 bytes) per second */
    public double gibPerSecond() {
        return bytes() / (double) nanos * 1e9 / (1L << 30);
    }

    /** @return frames per second */
    public double framesPerSecond() {
        return frames / (nanos / 1e9);
    }

    /** @return one JSON object: transport, size, messages, nanos, gb_per_s, gib_per_s, frames_per_s */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"transport\":\"%s\",\"size\":%d,\"messages\":%d,\"nanos\":%d,"
                + "\"gb_per_s\":%.3f,\"gib_per_s\":%.3f,\"frames_per_s\":%.1f}",
                transport, frameBytes, frames, nanos, gbPerSecond(), gibPerSecond(), framesPerSecond());
    }

    /** @return a two-line table (header and this run) */
    public String table() {
        return String.format(Locale.ROOT, "%-10s %12s %10s %10s %10s %12s%n%-10s %12d %10d %10.3f %10.3f %12.1f%n",
                "transport", "size", "frames", "GB/s", "GiB/s", "frames/s",
                transport, frameBytes, frames, gbPerSecond(), gibPerSecond(), framesPerSecond());
    }

    /**
     * Formats runs as one table: transport, size, messages, messages/s, GB/s, GiB/s.
     *
     * @param results rows, in order
     * @return the table (header first), each line ending in a newline
     */
    public static String table(List<ThroughputResult> results) {
        String fmt = "%-10s %12s %10s %14s %10s %10s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, fmt, "transport", "size B", "messages",
                "messages/s", "GB/s", "GiB/s"));
        for (ThroughputResult r : results) {
            sb.append(String.format(Locale.ROOT, fmt, r.transport, r.frameBytes, r.frames,
                    String.format(Locale.ROOT, "%.0f", r.framesPerSecond()),
                    String.format(Locale.ROOT, "%.3f", r.gbPerSecond()),
                    String.format(Locale.ROOT, "%.3f", r.gibPerSecond())));
        }
        return sb.toString();
    }

    /**
     * @param results runs
     * @return a JSON array of {@link #toJson()} objects
     */
    public static String toJson(List<ThroughputResult> results) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(results.get(i).toJson());
        }
        return sb.append(']').toString();
    }
}
