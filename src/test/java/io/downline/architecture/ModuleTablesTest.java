package io.downline.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Each module owns one PostgreSQL schema, named like the module, and writes only its tables: this reads every SQL
 * statement in the main sources (Java string literals and the repeatable migrations' functions) and fails on a write
 * to another module's table, on a table named without its schema, and on a read of another module's table that the
 * owner does not publish for reading ({@link PublishedTables}).
 */
class ModuleTablesTest {

    private static final Path MAIN = Path.of("src/main/java/io/downline");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern WRITE = Pattern.compile(
            "(?i)\\b(insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?|merge\\s+into|copy|alter\\s+table|create\\s+(?:unique\\s+)?index\\s+\\w*\\s*on|lock\\s+table)\\s+(?:only\\s+)?([a-z_]+\\.)?([a-z_]+)\\b(?!\\s*\\.)");
    private static final Pattern READ = Pattern.compile("(?i)\\b(from|join|using|references)\\s+(?:only\\s+)?([a-z_]+\\.)?([a-z_]+)\\b(?!\\s*\\.)");
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])([a-z_]+)\\.([a-z_]+)\\s*\\(");
    /** Tells SQL from prose (API descriptions mention "product volume" too). */
    private static final Pattern SQL = Pattern.compile("(?i)\\b(select|insert\\s+into|update\\s+\\S+\\s+set|delete\\s+from|truncate|copy|lock\\s+table|where|join)\\b");
    private static final Pattern LITERAL = Pattern.compile("\"\"\"(?s:.*?)\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|//[^\\n]*|/\\*(?s:.*?)\\*/");

    /** Table (or sequence) name to the schema that owns it, as the migrations leave it. */
    private static final Map<String, String> OWNER = owners();

    @Test
    void everyModuleWritesOnlyItsOwnSchema() {
        List<String> problems = new ArrayList<>();
        modules().forEach(module -> javaSql(module).forEach((place, sql) -> check(module, place, sql, problems)));
        assertEquals(List.of(), problems);
    }

    @Test
    void everyFunctionLivesInItsModulesRepeatableMigration() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("R__")).sorted().toList()) {
                String schema = file.getFileName().toString().substring(3).split("[_.]")[0];
                String sql = Files.readString(file);
                Matcher functions = Pattern.compile("(?i)create\\s+or\\s+replace\\s+function\\s+([a-z_]+\\.)?([a-z_]+)").matcher(sql);
                while (functions.find()) {
                    if (!(schema + ".").equals(functions.group(1))) {
                        problems.add(file.getFileName() + ": function " + functions.group(2) + " is not in schema " + schema);
                    }
                }
                check(schema, file.getFileName().toString(), sql, problems);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckFindsAForeignWrite() {
        List<String> problems = new ArrayList<>();
        check("commerce", "example", "insert into genealogy.personal_volume (distributor_id) values ($1)", problems);
        check("commerce", "example", "update distributor set full_name = $1", problems);
        check("tax", "example", "select genealogy.tree_upline($1)", problems);
        check("ledger", "example", "select * from identity.auth_session", problems);
        assertEquals(List.of("example: commerce writes genealogy.personal_volume", "example: distributor without its schema",
                "example: tax calls genealogy.tree_upline", "example: ledger reads identity.auth_session, which identity does not publish"),
                problems);
        check("genealogy", "example", "insert into genealogy.personal_volume (distributor_id) values ($1)", problems);
        check("ledger", "example", "select d.id from genealogy.distributor d", problems);
        assertEquals(4, problems.size(), problems.toString());
    }

    private static void check(String module, String place, String sql, List<String> problems) {
        Matcher write = WRITE.matcher(sql);
        while (write.find()) {
            String table = write.group(3).toLowerCase();
            String schema = write.group(2) == null ? null : write.group(2).substring(0, write.group(2).length() - 1);
            if (schema == null && OWNER.containsKey(table)) {
                problems.add(place + ": " + table + " without its schema");
            } else if (schema != null && OWNER.containsKey(table) && !schema.equals(module)) {
                problems.add(place + ": " + module + " writes " + schema + "." + table);
            }
        }
        Matcher read = READ.matcher(sql);
        while (read.find()) {
            String table = read.group(3).toLowerCase();
            String schema = read.group(2) == null ? null : read.group(2).substring(0, read.group(2).length() - 1);
            if (schema == null && OWNER.containsKey(table)) {
                problems.add(place + ": " + table + " without its schema");
            } else if (schema != null && !schema.equals(module) && OWNER.containsKey(table)
                    && !PublishedTables.READABLE.contains(schema + "." + table)) {
                problems.add(place + ": " + module + " reads " + schema + "." + table + ", which " + schema + " does not publish");
            }
        }
        Matcher call = QUALIFIED.matcher(sql);
        while (call.find()) {
            String schema = call.group(1);
            // common's functions are shared plumbing, like its Java package
            if (OWNER.containsValue(schema) && !schema.equals(module) && !schema.equals("common") && !OWNER.containsKey(call.group(2))) {
                problems.add(place + ": " + module + " calls " + schema + "." + call.group(2));
            }
        }
    }

    private static List<String> modules() {
        try (Stream<Path> dirs = Files.list(MAIN)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(m -> !m.equals("demo")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The string literals of a module's Java sources, keyed by file and position. */
    private static Map<String, String> javaSql(String module) {
        Map<String, String> sql = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(module))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher literal = LITERAL.matcher(source);
                StringBuilder all = new StringBuilder();
                while (literal.find()) {
                    if (literal.group().startsWith("\"") && SQL.matcher(literal.group()).find()) {
                        all.append(literal.group()).append('\n');
                    }
                }
                sql.put(MAIN.relativize(file).toString(), all.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sql;
    }

    private static Map<String, String> owners() {
        Map<String, String> owners = new TreeMap<>();
        Pattern created = Pattern.compile("(?i)create\\s+(?:unlogged\\s+)?(?:table|sequence)\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_]+\\.)?([a-z_]+)");
        Pattern moved = Pattern.compile("(?i)alter\\s+(?:table|sequence)\\s+public\\.([a-z_]+)\\s+set\\s+schema\\s+([a-z_]+)");
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("V")).sorted(ModuleTablesTest::byVersion).toList()) {
                String sql = Files.readString(file);
                Matcher c = created.matcher(sql);
                while (c.find()) {
                    owners.put(c.group(2), c.group(1) == null ? "public" : c.group(1).substring(0, c.group(1).length() - 1));
                }
                Matcher m = moved.matcher(sql);
                while (m.find()) {
                    owners.put(m.group(1), m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(owners.size() > 40, "the migrations were read: " + owners);
        List<String> stillPublic = owners.entrySet().stream().filter(e -> e.getValue().equals("public")).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), stillPublic, "tables left in public, which no module owns");
        return owners;
    }

    private static int byVersion(Path a, Path b) {
        return Integer.compare(version(a), version(b));
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /**
     * Tables their owners publish for other modules to read in joins (a member's code and name, an account's login, an
     * invoice's number, a bank account under verification); never for writing. docs/architecture.md lists them.
     */
    static final class PublishedTables {
        static final Set<String> READABLE = Set.of("genealogy.distributor", "identity.app_user", "tax.invoice", "ledger.bank_account");
    }
}
