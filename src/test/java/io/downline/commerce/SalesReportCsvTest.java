package io.downline.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.common.money.Money;
import io.downline.commerce.app.ReportService;

class SalesReportCsvTest {

    @Test
    void aWarehouseCodeASpreadsheetWouldComputeIsDefused() {
        Money zero = Money.of("0.00", "INR");
        Money taxable = Money.of("400.00", "INR");
        ReportService.SalesRow row = new ReportService.SalesRow("IN", "29", "-2-3", "2026-11", 1, taxable, zero, zero, zero, zero, zero, 0,
                zero, zero, zero, zero, zero, zero, taxable, zero);
        String csv = ReportService.csv(new ReportService.SalesReport(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30), List.of(row)));
        assertEquals("IN,29,'-2-3,2026-11,INR,1,400.00,0.00,0.00,0.00,0.00,0.00,0,0.00,0.00,0.00,0.00,0.00,0.00,400.00,0.00",
                csv.lines().skip(1).findFirst().orElseThrow());
    }
}
