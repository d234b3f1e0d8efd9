package io.ipc4j.posix.internal;

/**
 * The few ABI numbers that differ between the 64-bit Linux architectures ipc4j runs on
 * (x86_64 and aarch64). Anything else fails at class initialisation with a clear message.
 */
public final class Arch {
    /** True on x86_64. */
    public static final boolean X86_64;
    /** {@code O_NOFOLLOW}. */
    public static final int O_NOFOLLOW;
    /** {@code O_DIRECTORY}. */
    public static final int O_DIRECTORY;
    /** {@code SYS_futex}. */
    public static final long SYS_FUTEX;
    /** Offset of {@code st_mode} in {@code struct stat}. */
    public static final long STAT_MODE_OFFSET;
    /** Offset of {@code st_uid} in {@code struct stat}. */
    public static final long STAT_UID_OFFSET;
    /** Offset of {@code st_size} in {@code struct stat}. */
    public static final long STAT_SIZE_OFFSET = 48;
    /** Offset of {@code st_blocks} in {@code struct stat} (512-byte units). */
    public static final long STAT_BLOCKS_OFFSET = 64;
    /** Offset of {@code st_mtim} in {@code struct stat}. */
    public static final long STAT_MTIME_OFFSET = 88;
    /** Size of {@code struct stat}. */
    public static final long STAT_SIZE = 144;

    static {
        String arch = System.getProperty("os.arch");
        String os = System.getProperty("os.name");
        if (!"Linux".equals(os)) {
            throw new ExceptionInInitializerError("ipc4j needs Linux; this is " + os);
        }
        switch (arch) {
            case "amd64", "x86_64" -> {
                X86_64 = true;
                O_NOFOLLOW = 0400000;
                O_DIRECTORY = 0200000;
                SYS_FUTEX = 202;
                STAT_MODE_OFFSET = 24;
                STAT_UID_OFFSET = 28;
            }
            case "aarch64" -> {
                X86_64 = false;
                O_NOFOLLOW = 0100000;
                O_DIRECTORY = 040000;
                SYS_FUTEX = 98;
                STAT_MODE_OFFSET = 16;
                STAT_UID_OFFSET = 24;
            }
            default -> throw new ExceptionInInitializerError("ipc4j supports x86_64 and aarch64 Linux; this is " + arch);
        }
    }

    private Arch() {
    }
}
