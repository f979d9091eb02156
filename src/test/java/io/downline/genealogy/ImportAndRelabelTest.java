package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.downline.support.Accounts;
import io.downline.support.EmptyNetwork;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Migrating an existing network in (validated, all or nothing) and rebuilding labels from parent pointers. */
@QuarkusTest
@TestProfile(EmptyNetwork.ForImport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportAndRelabelTest {

    static Accounts.Account admin;

    @BeforeEach
    void admin() {
        if (admin == null) {
            admin = Accounts.create("admin");
            Network.fineBuckets();
        }
    }

    private static JsonPath importAndWait(String contentType, String format, String body) {
        String location = given().header("Authorization", admin.bearer()).contentType(contentType).queryParam("format", format)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/imports").then().statusCode(202).extract().header("Location");
        for (int i = 0; i < 200; i++) {
            JsonPath job = given().header("Authorization", admin.bearer()).get(location).then().statusCode(200).extract().jsonPath();
            if (job.getString("status").equals("COMPLETED") || job.getString("status").equals("FAILED")) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the import did not finish");
    }

    @Test
    @Order(1)
    void aFaultyFileIsRefusedWholeWithItsProblemsByLine() {
        String jsonl = String.join("\n",
                "{\"memberCode\":\"A01\",\"fullName\":\"Root\"}",
                "{\"memberCode\":\"B01\",\"sponsor\":\"A01\",\"parent\":\"A01\",\"side\":\"LEFT\"}",
                "{\"memberCode\":\"C01\",\"sponsor\":\"A01\",\"parent\":\"A01\",\"side\":\"LEFT\"}",
                "{\"memberCode\":\"D01\",\"sponsor\":\"ZZ99\",\"parent\":\"B01\",\"side\":\"RIGHT\"}",
                "{\"memberCode\":\"E01\",\"sponsor\":\"A01\",\"parent\":\"B01\",\"side\":\"UP\"}",
                "{\"memberCode\":\"B01\",\"sponsor\":\"A01\",\"parent\":\"C01\",\"side\":\"RIGHT\",\"joinedAt\":\"yesterday\"}");
        JsonPath job = importAndWait("application/x-ndjson", "JSONL", jsonl);
        assertEquals("FAILED", job.getString("status"));
        List<String> problems = job.getList("errors.collect { it.line + ': ' + it.message }");
        assertTrue(problems.contains("3: position 0 under A01 is filled twice"), problems.toString());
        assertTrue(problems.contains("4: sponsor ZZ99 is not in the file"), problems.toString());
        assertTrue(problems.contains("5: side must be LEFT or RIGHT"), problems.toString());
        assertTrue(problems.contains("6: member code B01 appears twice"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("6: joinedAt")), problems.toString());
        assertEquals("0", Network.query("select count(*) from genealogy.distributor"));

        JsonPath cycle = importAndWait("text/csv", "CSV", """
                memberCode,sponsor,parent,side
                R00,,,
                X01,R00,X02,LEFT
                X02,R00,X01,LEFT
                """);
        assertEquals("FAILED", cycle.getString("status"));
        assertTrue(cycle.getString("errors[0].message").contains("cycle"), cycle.prettify());
        assertEquals("0", Network.query("select count(*) from genealogy.distributor"));
    }

    @Test
    @Order(2)
    void aFileTheDatabaseRefusesWhileLoadingLeavesNothingBehind() {
        String keys = keysAndIndexes();
        // two members with one email address: valid as a file, refused by the accounts' unique index during the load
        JsonPath job = importAndWait("text/csv", "CSV", """
                memberCode,sponsor,parent,side,email
                DUP-001,,,,same@example.com
                DUP-002,DUP-001,DUP-001,LEFT,Same@example.com
                """);
        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertEquals("The import failed; nothing was written.", job.getString("errors[0].message"));
        assertEquals("0", Network.query("select count(*) from genealogy.distributor"));
        assertEquals("0", Network.query("select count(*) from genealogy.tree_node"));
        assertEquals("0", Network.query("select count(*) from identity.app_user where username like 'dup-%'"));
        assertEquals("0", Network.query("select count(*) from genealogy.outbox_event"));
        assertEquals(keys, keysAndIndexes(), "the keys and indexes dropped for the load are all back");
    }

    @Test
    @Order(3)
    void theKeysAndIndexesDroppedForALoadComeBackTheSame() throws Exception {
        String keys = keysAndIndexes();
        try (java.sql.Connection c = io.downline.support.TestDatabase.connect()) {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement()) {
                java.sql.ResultSet dropped = st.executeQuery("select genealogy.bulk_load_begin()");
                dropped.next();
                assertTrue(dropped.getInt(1) >= 15, "keys and indexes dropped: " + dropped.getInt(1));
                java.sql.ResultSet left = st.executeQuery("""
                        select count(*) from pg_index where indrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass)""");
                left.next();
                assertEquals(1, left.getInt(1), "only distributor's primary key, which other modules' keys refer to, stays");
                st.executeQuery("select genealogy.bulk_load_end()").close();
                java.sql.ResultSet after = st.executeQuery(KEYS_AND_INDEXES);
                after.next();
                assertEquals(keys, after.getString(1));
            }
            c.rollback();
        }
    }

    private static final String KEYS_AND_INDEXES = """
            select string_agg(d, E'\n' order by d) from (
              select pg_get_indexdef(indexrelid) as d from pg_index where indrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass)
              union all
              select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
               where conrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass)) k""";

    private static String keysAndIndexes() {
        return Network.query(KEYS_AND_INDEXES);
    }

    @Test
    @Order(4)
    void aValidNetworkArrivesWholeAndWorksLikeARegisteredOne() {
        // Listed out of order on purpose: children before their parents and sponsors.
        JsonPath job = importAndWait("text/csv", "CSV", """
                memberCode,sponsor,parent,side,joinedAt,fullName
                OLD-004,OLD-002,OLD-002,RIGHT,2021-03-01T10:00:00Z,Dev Four
                OLD-002,OLD-001,OLD-001,LEFT,2020-01-01T10:00:00Z,Bala Two
                OLD-001,,,,2019-04-01T10:00:00Z,Anand Founder
                OLD-003,OLD-001,OLD-001,RIGHT,2020-06-01T10:00:00Z,Chitra Three
                OLD-005,OLD-003,OLD-002,LEFT,2021-05-01T10:00:00Z,"Esha, ""Five"" \\ Ōta"
                """);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(5, job.getInt("total"));
        assertEquals(5, job.getInt("processed"));
        assertEquals("OLD-002:1", Plans.placement("OLD-004"));
        assertEquals("OLD-002:0", Plans.placement("OLD-005"));
        assertEquals("Esha, \"Five\" \\ Ōta", Network.query("select full_name from genealogy.distributor where member_code = 'OLD-005'"));
        assertEquals("5", Network.query("select count(*) from genealogy.outbox_event where type = 'member.registered'"));
        assertEquals("OLD-003", Network.query("select s.member_code from genealogy.distributor d join genealogy.distributor s on s.id = d.sponsor_id where d.member_code = 'OLD-005'"));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());

        given().header("Authorization", admin.bearer()).get("/api/v1/members/OLD-001/summary?levels=2").then().statusCode(200)
                .body("teamSize", equalTo(4)).body("legs[0].members", equalTo(3)).body("legs[1].members", equalTo(1));
        // New registrations continue the imported network.
        String recruit = Network.join(admin, "OLD-003", "After Import").getString("memberCode");
        assertEquals("OLD-003:0", Plans.placement(recruit));
        importAndWait("text/csv", "CSV", "memberCode,sponsor,parent,side\nNEW-1,,,\n");
        assertEquals("6", Network.query("select count(*) from genealogy.distributor"), "a second import into a non-empty network writes nothing");
    }

    @Test
    @Order(5)
    void aFullRelabelRepairsLabelsFromParentPointers() {
        String period = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        given().header("Authorization", admin.bearer()).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"memberCode\":\"OLD-005\",\"period\":\"" + period + "\",\"pv\":7.50,\"bv\":5.00,\"reason\":\"test\"}")
                .post("/api/v1/volumes").then().statusCode(201);
        // The registration after the import left the sponsor tree's labels off an even spread: this relabel spreads them.
        given().header("Authorization", admin.bearer()).post("/api/v1/trees/SPONSOR/relabel").then().statusCode(200).body("nodes", equalTo(6));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
        // Wreck the placement labels: every node gets the same interval.
        Network.query("update genealogy.tree_node set lo = 0, hi = 1 where tree = 2 returning 1");
        assertTrue(!Network.invariantViolations().isEmpty());
        given().header("Authorization", admin.bearer()).post("/api/v1/trees/PLACEMENT/relabel").then().statusCode(200)
                .body("tree", equalTo("PLACEMENT")).body("nodes", equalTo(6));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
        given().header("Authorization", admin.bearer()).get("/api/v1/members/OLD-001/summary?levels=3").then().statusCode(200)
                .body("teamSize", equalTo(5)).body("groupPv", equalTo(7.5f)).body("legs[0].bv", equalTo(5.0f));
        given().header("Authorization", admin.bearer()).get("/api/v1/members/OLD-001/summary?levels=3&tree=SPONSOR").then().statusCode(200)
                .body("teamSize", equalTo(5)).body("groupPv", equalTo(7.5f));
    }

    /** How tree_node is defined, as far as a swap must carry it over: compared before and after one. */
    private static final String TREE_NODE_DEFINITION = """
            select string_agg(d, E'\n' order by d) from (
              select 'column ' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' not null ' || a.attnotnull
                     || ' default ' || coalesce(pg_get_expr(f.adbin, f.adrelid), '-') || ' storage ' || a.attstorage::text
                     || ' statistics ' || a.attstattarget || ' comment ' || coalesce(col_description(a.attrelid, a.attnum), '-') as d
                from pg_attribute a left join pg_attrdef f on f.adrelid = a.attrelid and f.adnum = a.attnum
               where a.attrelid = 'genealogy.tree_node'::regclass and a.attnum > 0 and not a.attisdropped
              union all
              select 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) || ' valid ' || convalidated from pg_constraint
               where conrelid = 'genealogy.tree_node'::regclass
              union all
              select 'index ' || pg_get_indexdef(indexrelid) from pg_index where indrelid = 'genealogy.tree_node'::regclass
              union all
              select 'trigger ' || pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'genealogy.tree_node'::regclass and not tgisinternal
              union all
              select 'referenced by ' || conrelid::regclass || ' ' || conname from pg_constraint
               where confrelid = 'genealogy.tree_node'::regclass and conrelid <> confrelid
              union all
              select 'table owner ' || relowner::regrole || ' acl ' || coalesce(relacl::text, '-') || ' options ' || coalesce(reloptions::text, '-')
                     || ' persistence ' || relpersistence::text || ' row security ' || relrowsecurity || ' replica identity ' || relreplident::text
                     || ' comment ' || coalesce(obj_description(oid, 'pg_class'), '-')
                from pg_class where oid = 'genealogy.tree_node'::regclass) t""";

    private static String treeNodeOid() {
        return Network.query("select 'genealogy.tree_node'::regclass::oid");
    }

    /** Every placement label wrecked: a relabel then changes every row, which it does by swapping a new table in. */
    private static void wreckPlacementLabels() {
        Network.query("update genealogy.tree_node set lo = 0, hi = 1 where tree = 2 returning 1");
        assertTrue(!Network.invariantViolations().isEmpty());
    }

    @Test
    @Order(6)
    void aSwappedInTreeIsDefinedAsTheMigrationsDefineIt() throws SQLException {
        execute("grant select on genealogy.tree_node to public");
        try {
            String definition = Network.query(TREE_NODE_DEFINITION);
            String oid = treeNodeOid();
            wreckPlacementLabels();
            given().header("Authorization", admin.bearer()).post("/api/v1/trees/PLACEMENT/relabel").then().statusCode(200).body("nodes", equalTo(6));
            assertNotEquals(oid, treeNodeOid(), "the relabel swapped a new table in");
            assertEquals(definition, Network.query(TREE_NODE_DEFINITION));
            assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
        } finally {
            execute("revoke select on genealogy.tree_node from public");
        }
        // the volume triggers on personal_volume write to the new table
        String period = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        given().header("Authorization", admin.bearer()).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"memberCode\":\"OLD-004\",\"period\":\"" + period + "\",\"pv\":2.50,\"bv\":1.00,\"reason\":\"test\"}")
                .post("/api/v1/volumes").then().statusCode(201);
        given().header("Authorization", admin.bearer()).get("/api/v1/members/OLD-001/summary?levels=3").then().statusCode(200)
                .body("teamSize", equalTo(5)).body("groupPv", equalTo(10.0f));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(7)
    void aFewWrongLabelsAreRepairedInPlace() {
        String oid = treeNodeOid();
        Network.query("update genealogy.tree_node set hi = hi - 1 where tree = 1 and node_id = (select id from genealogy.distributor where member_code = 'OLD-005') returning 1");
        given().header("Authorization", admin.bearer()).post("/api/v1/trees/SPONSOR/relabel").then().statusCode(200).body("nodes", equalTo(6));
        assertEquals(oid, treeNodeOid(), "one changed row of six is updated in place");
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(8)
    void aReaderWhoseSnapshotPredatesTheSwapSeesTheWholeTree() throws Exception {
        try (Connection reader = TestDatabase.connect(); Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            single(st, "select 1"); // the transaction's snapshot, taken before the swap
            wreckPlacementLabels();
            String oid = treeNodeOid();
            given().header("Authorization", admin.bearer()).post("/api/v1/trees/PLACEMENT/relabel").then().statusCode(200);
            assertNotEquals(oid, treeNodeOid());
            // Rows written by the relabel's transaction would be invisible to this snapshot; frozen rows are not.
            assertEquals("6", single(st, "select count(*) from genealogy.tree_node where tree = 2"));
            assertEquals("6", single(st, "select count(*) from genealogy.tree_node where tree = 1"));
            reader.rollback();
        }
    }

    @Test
    @Order(9)
    void registrationsDuringASwapWaitForItAndGoThrough() throws Exception {
        wreckPlacementLabels();
        ExecutorService background = Executors.newFixedThreadPool(2);
        try (Connection reader = TestDatabase.connect(); Connection watcher = TestDatabase.connect(); Statement st = watcher.createStatement()) {
            // An open reader of tree_node holds the swap back at its exclusive lock, with every other lock taken.
            reader.setAutoCommit(false);
            try (Statement read = reader.createStatement()) {
                single(read, "select count(*) from genealogy.tree_node");
            }
            Future<Integer> relabel = background.submit(() -> given().header("Authorization", admin.bearer())
                    .post("/api/v1/trees/PLACEMENT/relabel").then().extract().statusCode());
            awaitWaitingSessions(st, "query like '%tree_swap_in%'", 1);
            Future<String> registration = background.submit(() -> Network.join(admin, "OLD-002", "During Swap").getString("memberCode"));
            awaitWaitingSessions(st, "true", 2);
            reader.commit();
            assertEquals(200, relabel.get(60, TimeUnit.SECONDS));
            String recruit = registration.get(60, TimeUnit.SECONDS);
            assertEquals("1", Network.query("select count(*) from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id where d.member_code = '"
                    + recruit + "' and t.tree = 2"));
            assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
        } finally {
            background.shutdownNow();
        }
    }

    /**
     * Waits until this many sessions of the database (that match the condition) wait for a lock. The statement must
     * autocommit: a transaction sees one snapshot of pg_stat_activity.
     */
    private static void awaitWaitingSessions(Statement st, String condition, int sessions) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Integer.parseInt(single(st, "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and "
                    + condition)) >= sessions) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(sessions + " sessions never waited for a lock at once");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
