package io.ipc4j.shm;

import io.ipc4j.IpcException;

/**
 * The rules for segment names: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._-]},
 * not {@code .} or {@code ..}, never containing {@code ..}, never starting with the reserved
 * temporary prefix {@value #TEMP_PREFIX}. A name never holds {@code /}, so it cannot leave the
 * shared-memory directory.
 */
public final class SegmentName {
    /** Longest accepted name (leaves room under NAME_MAX for the temporary-name decoration). */
    public static final int MAX_LENGTH = 200;
    /** Prefix of the names segments are written under before being published by rename. */
    public static final String TEMP_PREFIX = ".ipc4j-tmp.";

    private SegmentName() {
    }

    /**
     * Checks a name against the rules.
     *
     * @param name a proposed segment name (without leading {@code /})
     * @return the name
     * @throws IpcException with {@link IpcException.Reason#INVALID_NAME} saying which rule it breaks
     */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid(name, "is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid(name, "is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw invalid(name, "contains " + describe(c) + " at position " + i
                        + " (allowed: letters, digits, '.', '_', '-')");
            }
        }
        if (name.contains("..") || name.equals(".")) {
            throw invalid(name, "contains '..' or is '.'");
        }
        if (name.startsWith(TEMP_PREFIX)) {
            throw invalid(name, "starts with the reserved prefix " + TEMP_PREFIX);
        }
        return name;
    }

    /**
     * @param name a name
     * @return true when {@link #validate} accepts it
     */
    public static boolean isValid(String name) {
        try {
            validate(name);
            return true;
        } catch (IpcException e) {
            return false;
        }
    }

    /**
     * The temporary name a writer uses before publishing {@code name}; it records the writer's
     * pid and start time so garbage collection can tell a crashed writer's leftovers.
     *
     * @param name       the final name
     * @param pid        the writer's pid
     * @param startTicks the writer's start time in ticks
     * @param nonce      a per-write unique number
     * @return the temporary name
     */
    public static String temporary(String name, long pid, long startTicks, long nonce) {
        return TEMP_PREFIX + pid + "." + startTicks + "." + Long.toHexString(nonce) + "." + name;
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private static IpcException invalid(String name, String why) {
        String shown = name == null ? "null" : name.length() > 60 ? name.substring(0, 60) + "..." : name;
        return new IpcException(IpcException.Reason.INVALID_NAME, "invalid segment name '" + shown + "': " + why);
    }
}
