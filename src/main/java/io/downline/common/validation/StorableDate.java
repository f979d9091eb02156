package io.downline.common.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A date or instant within the years 0001 to 9999. Java parses years up to a billion, which PostgreSQL cannot hold;
 * such a value is bad input, not a server fault.
 */
@Documented
@Retention(RUNTIME)
@Target({ PARAMETER, FIELD, RECORD_COMPONENT, TYPE_USE })
@Constraint(validatedBy = { StorableDate.ForInstant.class, StorableDate.ForLocalDate.class })
public @interface StorableDate {

    String message() default "must be a date in the years 0001 to 9999";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    LocalDate FIRST = LocalDate.of(1, 1, 1);
    LocalDate LAST = LocalDate.of(9999, 12, 31);

    class ForLocalDate implements ConstraintValidator<StorableDate, LocalDate> {
        @Override
        public boolean isValid(LocalDate value, ConstraintValidatorContext context) {
            return value == null || !value.isBefore(FIRST) && !value.isAfter(LAST);
        }
    }

    class ForInstant implements ConstraintValidator<StorableDate, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || !value.isBefore(FIRST.atStartOfDay(ZoneOffset.UTC).toInstant())
                    && value.isBefore(LAST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
    }
}
