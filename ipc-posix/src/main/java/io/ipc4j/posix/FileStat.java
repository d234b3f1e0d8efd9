package io.ipc4j.posix;

/**
 * The parts of {@code struct stat} ipc4j uses.
 *
 * @param size      file size in bytes ({@code st_size})
 * @param mode      file type and permission bits ({@code st_mode})
 * @param uid       owner user id
 * @param allocated bytes actually allocated ({@code st_blocks * 512})
 * @param mtimeSeconds last modification time, seconds since the epoch
 */
public record FileStat(long size, int mode, int uid, long allocated, long mtimeSeconds) {
    /** @return the permission bits ({@code mode & 07777}) */
    public int permissions() {
        return mode & 07777;
    }

    /** @return true for a regular file */
    public boolean isRegularFile() {
        return (mode & 0170000) == 0100000;
    }

    /** @return true for a FIFO */
    public boolean isFifo() {
        return (mode & 0170000) == 0010000;
    }
}
