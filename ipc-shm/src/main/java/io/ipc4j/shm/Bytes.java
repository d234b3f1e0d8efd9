package io.ipc4j.shm;

/** Formats byte counts for people: {@code 1.0 GiB}, {@code 512 KiB}, {@code 17 B}. */
public final class Bytes {
    private Bytes() {
    }

    /**
     * @param bytes a byte count
     * @return it in binary units with one decimal
     */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
