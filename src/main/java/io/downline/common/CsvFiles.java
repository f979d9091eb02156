package io.downline.common;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV downloads (statements, payout files, tax returns): RFC 4180 via Commons CSV, a header row, then one row per record. */
public final class CsvFiles {

    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?");

    private CsvFiles() {
    }

    public static String write(List<String> header, List<List<?>> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
            for (List<?> row : rows) {
                printer.printRecord(row.stream().map(CsvFiles::inert).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Text that a spreadsheet would run as a formula (a member's name or note starting with =, +, -, @, tab or CR) gets a
     * leading apostrophe; numbers, negative amounts included, stay as they are.
     */
    static Object inert(Object value) {
        if (value instanceof String text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 && !NUMBER.matcher(text).matches()) {
            return "'" + text;
        }
        return value;
    }
}
