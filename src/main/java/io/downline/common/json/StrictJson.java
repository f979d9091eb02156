package io.downline.common.json;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are read exactly as written, or refused: a key given twice (which would silently keep the last money
 * amount or recipient), content after the document, enum ordinals, a number or boolean where text belongs, text or a
 * number where a boolean belongs, text or a fraction where a whole number belongs, a boolean where a decimal belongs,
 * and control characters in text.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        failCoercion(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String);
        failCoercion(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        // decimals may come as strings ("25.00"), the exact form the API itself writes money in
        failCoercion(mapper, LogicalType.Float, CoercionInputShape.Boolean);
        mapper.registerModule(new SimpleModule("downline-text").addDeserializer(String.class, new PlainText()));
    }

    private static void failCoercion(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** Whether text holds a control character other than tab, line feed and carriage return (which free text may use). */
    static boolean hasControlCharacter(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    /** Thrown for text with a control character; {@code ProblemMappers} names the field. */
    public static final class ControlCharacterException extends MismatchedInputException {
        ControlCharacterException(JsonParser parser) {
            super(parser, "text must not contain control characters", String.class);
        }
    }

    /**
     * Text only from JSON strings (never a number or boolean), and free of control characters (NUL breaks PostgreSQL
     * text and bank files).
     */
    static final class PlainText extends StdScalarDeserializer<String> {

        PlainText() {
            super(String.class);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (String) context.handleUnexpectedToken(String.class, parser);
            }
            String text = parser.getText();
            if (hasControlCharacter(text)) {
                throw new ControlCharacterException(parser);
            }
            return text;
        }
    }
}
