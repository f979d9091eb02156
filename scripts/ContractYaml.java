import java.nio.file.Path;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Writes the generated contract (JSON) as YAML that YAML 1.1 readers (PyYAML, js-yaml, SnakeYAML) read back with the same
 * types: dates, timestamps and number-like strings quoted (an unquoted 2026-11-21T09:30:00Z becomes a date object, which
 * tools then print their own way), decimals in plain notation.
 * Run by the package build (pom.xml, contract-yaml) on target/openapi; scripts/update-contract.sh copies the result to
 * openapi/openapi.yaml. By hand: java -cp 'target/quarkus-app/lib/main/*' scripts/ContractYaml.java IN.json OUT.yaml
 */
public class ContractYaml {

    /** The start of a YAML 1.1 timestamp: yyyy-m-d, with or without a time after it. */
    private static final Pattern YAML_TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt \\t].*)?");

    public static void main(String[] args) throws Exception {
        // decimals as written (9999999999.99, not 9.99999999999E9, which YAML 1.1 readers take for a string)
        JsonNode contract = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false).readTree(Path.of(args[0]).toFile());
        YAMLFactory yaml = YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .stringQuotingChecker(new StringQuotingChecker.Default() {
                    @Override
                    public boolean needToQuoteValue(String value) {
                        return super.needToQuoteValue(value) || YAML_TIMESTAMP.matcher(value).matches();
                    }
                })
                .build();
        new ObjectMapper(yaml).enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).writeValue(Path.of(args[1]).toFile(), contract);
    }
}
