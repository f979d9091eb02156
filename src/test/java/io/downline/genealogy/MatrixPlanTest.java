package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** A forced matrix on an empty network: breadth-first spillover inside the sponsor's W x D matrix. */
@QuarkusTest
@TestProfile(EmptyNetwork.ForMatrix.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MatrixPlanTest {

    /** First: it publishes the plan and creates the root on the empty network. */
    @Test
    @Order(1)
    void recruitsSpillBreadthFirstInsideTheSponsorsMatrixUntilItIsFull() {
        Accounts.Account admin = Accounts.create("admin");
        Plans.publish(admin, Plans.plan("MATRIX", "null", "null")).then().statusCode(400).body("errors[0].field", equalTo("matrixWidth"));
        Plans.publish(admin, Plans.plan("MATRIX", "2", "2")).then().statusCode(201);
        String root = Network.root(admin);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            members.add(Network.join(admin, root, "M" + i).getString("memberCode"));
        }
        assertEquals(List.of(root + ":0", root + ":1", members.get(0) + ":0", members.get(0) + ":1", members.get(1) + ":0",
                members.get(1) + ":1"), members.stream().map(Plans::placement).toList());
        // 2 + 4 positions below the root: the 2x2 matrix is full.
        Network.register(admin.bearer(), "{\"sponsor\":\"" + root + "\",\"fullName\":\"Seventh\"}").then().statusCode(409)
                .body("detail", equalTo("The sponsor's 2x2 matrix is full."));
        // The first level member's own matrix still has room; the recruit keeps their sponsor.
        var spill = Network.join(admin, members.get(0), "Spill");
        assertEquals(members.get(2) + ":0", Plans.placement(spill.getString("memberCode")));
        assertEquals(members.get(0), spill.getString("sponsor"));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(2)
    void aDeepLineOfAWideMatrixKeepsFindingRoomThroughRelabels() throws Exception {
        // A 6-wide node needs a gap of 3 x 6 labels; 400 levels down one line forces many relabels, each of which must leave
        // that much room at the insertion point. Built in the sponsor tree, so the matrix of the other test keeps its slots.
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    do $$
                    declare parent bigint; child bigint; uid uuid;
                    begin
                        uid := gen_random_uuid();
                        insert into identity.app_user (id, username, display_name, roles) values (uid, 'wide-0', 'Wide 0', 'distributor');
                        insert into genealogy.distributor (id, user_id, member_code, referral_code, full_name, search_name, sponsor_id)
                        values (nextval('genealogy.member_number_seq'), uid, 'WIDE0', 'WIDE0', 'Wide 0', 'wide 0',
                                (select node_id from genealogy.tree_node where tree = 1 and parent_id is null)) returning id into parent;
                        perform genealogy.tree_insert(1::smallint, parent, (select node_id from genealogy.tree_node where tree = 1 and parent_id is null), null, null);
                        for i in 1..400 loop
                            uid := gen_random_uuid();
                            insert into identity.app_user (id, username, display_name, roles) values (uid, 'wide-' || i, 'Wide', 'distributor');
                            insert into genealogy.distributor (id, user_id, member_code, referral_code, full_name, search_name, sponsor_id)
                            values (nextval('genealogy.member_number_seq'), uid, 'WIDE' || i, 'WIDE' || i, 'Wide', 'wide', parent) returning id into child;
                            perform genealogy.tree_insert(1::smallint, child, parent, 0, 6);
                            parent := child;
                        end loop;
                    end $$""");
        }
        assertEquals("400", Network.query("""
                select max(t.depth) - min(w.depth) from genealogy.tree_node t, genealogy.tree_node w join genealogy.distributor d on d.id = w.node_id
                 where w.tree = 1 and t.tree = 1 and d.member_code = 'WIDE0' and t.lo between w.lo and w.hi"""));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }
}
