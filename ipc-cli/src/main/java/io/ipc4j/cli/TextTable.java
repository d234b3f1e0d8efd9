package io.ipc4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table with aligned columns, for command output.
 *
 * <pre>{@code
 * TextTable t = new TextTable("NAME", "SIZE").rightAlign(1);
 * t.row("weights", "1.0 GiB");
 * out.print(t.render());
 * }</pre>
 *
 * <p>Columns are separated by two spaces; cells are left-aligned unless {@link #rightAlign}ed;
 * the last column is not padded, so lines carry no trailing spaces. Not thread-safe.
 */
public final class TextTable {
    private static final String GAP = "  ";

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers the column titles
     */
    public TextTable(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = headers.clone();
        this.right = new boolean[headers.length];
    }

    /**
     * Right-aligns columns (numbers).
     *
     * @param columns zero-based column indexes
     * @return this
     */
    public TextTable rightAlign(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    /**
     * Adds a row; {@code null} cells print as {@code -}.
     *
     * @param cells one value per column ({@link String#valueOf} of each)
     * @return this
     * @throws IllegalArgumentException when the number of cells is not the number of columns
     */
    public TextTable row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length
                    + " columns: " + Arrays.toString(cells));
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "-" : oneLine(String.valueOf(cells[i]));
        }
        rows.add(r);
        return this;
    }

    /** @return the number of rows added (the header not counted) */
    public int size() {
        return rows.size();
    }

    /** @return the header line and every row, each ending with a line separator */
    public String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        for (String[] r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = Objects.requireNonNull(cells[i]);
            int pad = width[i] - c.length();
            boolean last = i == cells.length - 1;
            if (i > 0) {
                l.append(GAP);
            }
            if (right[i]) {
                l.append(" ".repeat(pad)).append(c);
            } else {
                l.append(c);
                if (!last) {
                    l.append(" ".repeat(pad));
                }
            }
        }
        sb.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\R", " ");
    }
}
