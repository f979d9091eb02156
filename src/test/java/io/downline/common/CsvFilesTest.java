package io.downline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class CsvFilesTest {

    @Test
    void textThatASpreadsheetWouldRunIsDefusedButNumbersAreNot() {
        String csv = CsvFiles.write(List.of("note", "amount"), List.of(
                List.of("=HYPERLINK(\"http://x\")", "-42.60"),
                List.of("@SUM(A1)", "+5"),
                List.of("Team event, \"Kochi\"", "10.00")));
        assertEquals("note,amount\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-42.60\r\n'@SUM(A1),+5\r\n\"Team event, \"\"Kochi\"\"\",10.00\r\n", csv);
    }
}
