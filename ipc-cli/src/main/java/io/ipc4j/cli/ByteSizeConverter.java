package io.ipc4j.cli;

import picocli.CommandLine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses byte counts for options: {@code 64}, {@code 4k}, {@code 4KiB}, {@code 1m}, {@code 2G}
 * (binary multiples: k = 1024). Rejects negatives and overflow with a usage error.
 */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)");

    /** Created by picocli. */
    public ByteSizeConverter() {
    }

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /**
     * @param value text such as {@code 4KiB}
     * @return the byte count
     * @throws CommandLine.TypeConversionException when it is not a byte count
     */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a byte count (e.g. 64, 4k, 1MiB)");
        }
        int shift = switch (m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
    }
}
