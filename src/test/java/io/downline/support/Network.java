package io.downline.support;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Builds networks through the registration API and checks the tree invariants in the database. */
public final class Network {

    private Network() {
    }

    /** The company's root member, created by an admin the first time a test needs it. */
    public static synchronized String root(Accounts.Account admin) {
        String existing = query("select d.member_code from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id where t.tree = 1 and t.parent_id is null");
        if (existing != null) {
            return existing;
        }
        return register(admin.bearer(), "{\"fullName\":\"Company Root\"}").then().statusCode(201).extract().path("memberCode");
    }

    public static Response register(String bearer, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return request.post("/api/v1/registrations");
    }

    /** Registers under the sponsor as an admin would, with an email address of its own; returns the registration result. */
    public static JsonPath join(Accounts.Account admin, String sponsor, String name) {
        return register(admin.bearer(), "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"" + name + "\",\"email\":\""
                + Mailbox.address(name) + "\"}")
                .then().statusCode(201).extract().jsonPath();
    }

    public static JsonPath join(Accounts.Account admin, String sponsor, String name, String placementJson) {
        return register(admin.bearer(), "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"" + name + "\",\"email\":\""
                + Mailbox.address(name) + "\",\"placement\":" + placementJson + "}")
                .then().statusCode(201).extract().jsonPath();
    }

    /** Activates the account of a registration with the code emailed to the recruit, and returns its bearer header. */
    public static String activate(JsonPath registration) {
        String username = registration.getString("username");
        String token = given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"activationCode\":\""
                        + Mailbox.activationCode(username) + "\",\"password\":\"" + Accounts.PASSWORD + "\"}")
                .post("/api/v1/auth/activate").then().statusCode(200).extract().path("accessToken");
        return "Bearer " + token;
    }

    /** Violations of the label invariants in either tree: each must be empty. */
    public static List<String> invariantViolations() {
        List<String> violations = new ArrayList<>();
        check(violations, "child outside its parent's interval", """
                select count(*) from genealogy.tree_node c join genealogy.tree_node p on p.tree = c.tree and p.node_id = c.parent_id
                 where not (p.lo < c.lo and c.hi < p.hi)""");
        check(violations, "siblings out of order or overlapping", """
                select count(*) from genealogy.tree_node a join genealogy.tree_node b on a.tree = b.tree and a.parent_id = b.parent_id and a.position < b.position
                 where not (a.hi < b.lo)""");
        check(violations, "depth not parent's depth + 1", """
                select count(*) from genealogy.tree_node c join genealogy.tree_node p on p.tree = c.tree and p.node_id = c.parent_id where c.depth <> p.depth + 1""");
        check(violations, "children count wrong", """
                select count(*) from genealogy.tree_node p where p.children <> (select count(*) from genealogy.tree_node c where c.tree = p.tree and c.parent_id = p.node_id)""");
        check(violations, "duplicate labels", """
                select count(*) - count(distinct (tree, label)) from (select tree, lo as label from genealogy.tree_node union all select tree, hi from genealogy.tree_node) l""");
        check(violations, "labels outside the label space", "select count(*) from genealogy.tree_node where lo < -4611686018427387904 or hi > 4611686018427387903");
        check(violations, "free_mask claims a taken position free", """
                select count(*) from genealogy.tree_node c join genealogy.tree_node p on p.tree = c.tree and p.node_id = c.parent_id
                 where c.position < 30 and p.free_mask & (1 << c.position) <> 0""");
        check(violations, "sponsor edge differs from sponsor tree", """
                select count(*) from genealogy.distributor d join genealogy.tree_node t on t.tree = 1 and t.node_id = d.id where t.parent_id is distinct from d.sponsor_id""");
        check(violations, "tree rows' volume differs from the open period's personal volume", """
                select count(*) from genealogy.tree_node t
                  left join genealogy.volume_period o on true
                  left join genealogy.personal_volume v on v.period = o.period and v.distributor_id = t.node_id
                 where case when t.vol_period = coalesce(o.period_key, 0) then row(t.pv, t.bv) else row(0::numeric, 0::numeric) end
                       is distinct from row(coalesce(v.pv, 0), coalesce(v.bv, 0))""");
        return violations;
    }

    public static String query(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(List<String> violations, String what, String sql) {
        String count = query(sql);
        if (!"0".equals(count)) {
            violations.add(what + ": " + count);
        }
    }
}
