package io.downline.common.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

class MoneyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serializesTheAmountAsADecimalStringAtTheCurrencyScale() throws Exception {
        assertEquals("{\"amount\":\"1234.50\",\"currency\":\"INR\"}", json.writeValueAsString(Money.of("1234.5", "INR")));
        assertEquals("{\"amount\":\"7\",\"currency\":\"JPY\"}", json.writeValueAsString(Money.of("7", "JPY")));
        assertEquals("{\"amount\":\"-0.01\",\"currency\":\"INR\"}", json.writeValueAsString(Money.of("-0.01", "INR")));
    }

    @Test
    void roundTripsExactly() throws Exception {
        Money money = json.readValue("{\"amount\":\"99999999999999.99\",\"currency\":\"INR\"}", Money.class);
        assertEquals(new BigDecimal("99999999999999.99"), money.amount());
        assertEquals(money, json.readValue(json.writeValueAsString(money), Money.class));
    }

    @Test
    void refusesWhatIsNotExact() {
        assertThrows(IllegalArgumentException.class, () -> Money.of("1.005", "INR"), "sub-paisa amounts");
        assertThrows(IllegalArgumentException.class, () -> Money.of("1e3", "INR"), "exponent notation");
        assertThrows(IllegalArgumentException.class, () -> Money.of("12.5", "inr"), "lower-case currency");
        assertThrows(IllegalArgumentException.class, () -> Money.of("12.5", "XYZ"), "unknown currency");
        assertThrows(ValueInstantiationException.class, () -> json.readValue("{\"amount\":12.5,\"currency\":\"INR\"}", Money.class));
    }

    @Test
    void arithmeticStaysInOneCurrency() {
        Money total = Money.of("10.10", "INR").plus(Money.of("0.90", "INR")).minus(Money.of("1", "INR"));
        assertEquals(Money.of("10.00", "INR"), total);
        assertTrue(Money.zero("INR").minus(Money.of("0.01", "INR")).isNegative());
        assertThrows(IllegalArgumentException.class, () -> Money.of("1", "INR").plus(Money.of("1", "KZT")));
    }
}
