package io.downline.common.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

/**
 * An exact amount in an ISO 4217 currency, always at the currency's minor-unit scale (paise for INR). On the wire the
 * amount is a decimal string, so no client ever parses money into a floating-point number.
 */
@Schema(name = "Money", description = "An exact amount: a decimal string plus an ISO 4217 currency code",
        requiredProperties = { "amount", "currency" },
        properties = {
                @SchemaProperty(name = "amount", type = SchemaType.STRING, pattern = "^-?\\d{1,18}(\\.\\d{1,4})?$",
                        description = "Decimal string at the currency's minor-unit scale", example = "1234.50"),
                @SchemaProperty(name = "currency", type = SchemaType.STRING, pattern = "^[A-Z]{3}$",
                        description = "ISO 4217 code", example = "INR") })
public final class Money implements Comparable<Money> {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,18}(\\.\\d{1,4})?");

    @Schema(hidden = true)
    private final BigDecimal amount;
    @Schema(hidden = true)
    private final Currency currency;

    private Money(BigDecimal amount, Currency currency) {
        this.currency = currency;
        try {
            this.amount = amount.setScale(currency.getDefaultFractionDigits());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(currency.getCurrencyCode() + " amounts have at most "
                    + currency.getDefaultFractionDigits() + " decimal places: " + amount.toPlainString(), e);
        }
    }

    public static Money of(BigDecimal amount, String currencyCode) {
        return new Money(amount, currencyOf(currencyCode));
    }

    public static Money of(String amount, String currencyCode) {
        if (amount == null || !DECIMAL.matcher(amount).matches()) {
            throw new IllegalArgumentException("amount must be a decimal string such as \"1234.50\"");
        }
        return of(new BigDecimal(amount), currencyCode);
    }

    /** A JSON number is refused too: clients must not hold money in floating point on the way here. */
    @JsonCreator
    static Money fromJson(@JsonProperty("amount") JsonNode amount, @JsonProperty("currency") String currency) {
        if (amount == null || !amount.isTextual()) {
            throw new IllegalArgumentException("amount must be a decimal string such as \"1234.50\"");
        }
        return of(amount.textValue(), currency);
    }

    public static Money zero(String currencyCode) {
        return of(BigDecimal.ZERO, currencyCode);
    }

    @JsonIgnore
    public BigDecimal amount() {
        return amount;
    }

    @JsonGetter("amount")
    @Schema(hidden = true)
    public String amountText() {
        return amount.toPlainString();
    }

    @JsonGetter("currency")
    @Schema(hidden = true)
    public String currency() {
        return currency.getCurrencyCode();
    }

    public Money plus(Money other) {
        return new Money(amount.add(sameCurrency(other).amount), currency);
    }

    public Money minus(Money other) {
        return new Money(amount.subtract(sameCurrency(other).amount), currency);
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    @JsonIgnore
    public boolean isNegative() {
        return amount.signum() < 0;
    }

    @Override
    public int compareTo(Money other) {
        return amount.compareTo(sameCurrency(other).amount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && m.currency.equals(currency) && m.amount.equals(amount);
    }

    @Override
    public int hashCode() {
        return amount.hashCode() * 31 + currency.hashCode();
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }

    private Money sameCurrency(Money other) {
        if (!other.currency.equals(currency)) {
            throw new IllegalArgumentException("Cannot combine " + currency + " with " + other.currency);
        }
        return other;
    }

    private static Currency currencyOf(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as \"INR\"");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ISO 4217 currency: " + code, e);
        }
    }
}
