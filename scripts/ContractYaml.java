import java.nio.file.Path;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Writes the generated contract (JSON) as YAML with every date and timestamp quoted: YAML 1.1 readers (PyYAML, js-yaml,
 * SnakeYAML) turn an unquoted 2026-11-21T09:30:00Z into a date object, which tools then print their own way.
 * Usage: java -cp 'target/quarkus-app/lib/main/*' scripts/ContractYaml.java target/openapi/openapi.json openapi/openapi.yaml
 */
public class ContractYaml {

    /** The start of a YAML 1.1 timestamp: yyyy-m-d, with or without a time after it. */
    private static final Pattern YAML_TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt \\t].*)?");

    public static void main(String[] args) throws Exception {
        JsonNode contract = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        YAMLFactory yaml = YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .stringQuotingChecker(new StringQuotingChecker.Default() {
                    @Override
                    public boolean needToQuoteValue(String value) {
                        return super.needToQuoteValue(value) || YAML_TIMESTAMP.matcher(value).matches();
                    }
                })
                .build();
        new ObjectMapper(yaml).writeValue(Path.of(args[1]).toFile(), contract);
    }
}
