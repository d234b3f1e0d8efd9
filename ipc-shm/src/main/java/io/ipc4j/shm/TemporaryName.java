package io.ipc4j.shm;

import io.ipc4j.process.ProcessIdentity;

import java.util.Optional;

/**
 * A decoded temporary segment name, as made by {@link SegmentName#temporary}:
 * {@code TEMP_PREFIX + pid + "." + startTicks + "." + hexNonce + "." + finalName}.
 *
 * @param finalName the name the segment would have been published under
 * @param writer    the writing process (pid and start time)
 * @param nonce     the per-write unique number
 */
public record TemporaryName(String finalName, ProcessIdentity writer, long nonce) {
    /**
     * Decodes a file name. Never throws: anything that does not follow the pattern exactly
     * (including a final name that breaks the {@link SegmentName} rules) yields empty.
     *
     * @param fileName a file name
     * @return the decoded parts, or empty when it is not a well-formed temporary name
     */
    public static Optional<TemporaryName> parse(String fileName) {
        if (fileName == null || !fileName.startsWith(SegmentName.TEMP_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = fileName.substring(SegmentName.TEMP_PREFIX.length()).split("\\.", 4);
        if (parts.length != 4 || !SegmentName.isValid(parts[3])) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(parts[0]);
            long ticks = Long.parseLong(parts[1]);
            long nonce = Long.parseUnsignedLong(parts[2], 16);
            if (pid <= 0 || ticks < 0 || !parts[0].equals(Long.toString(pid))) {
                return Optional.empty();
            }
            return Optional.of(new TemporaryName(parts[3], new ProcessIdentity(pid, ticks), nonce));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * @param fileName a file name
     * @return whether it starts with the reserved {@link SegmentName#TEMP_PREFIX}
     */
    static boolean hasTemporaryPrefix(String fileName) {
        return fileName.startsWith(SegmentName.TEMP_PREFIX);
    }
}
