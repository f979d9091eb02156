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
        fineBuckets();
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
        violations.addAll(bucketViolations());
        query("select genealogy.tree_bucket_compact()");
        violations.addAll(bucketViolations().stream().map(v -> v + " (after a fold)").toList());
        return violations;
    }

    /**
     * Label buckets of one member each (on an even spread) from the next rebuild on, and, while a tree is still empty,
     * buckets of 2^56 labels: a test network is small, and buckets as wide as production's would leave every downline
     * within the two partial buckets that downline_totals scans, so the buckets themselves would go untested.
     */
    public static void fineBuckets() {
        query("""
                update genealogy.tree_bucket_shift s set bucket_members = 1,
                       shift = case when exists (select 1 from genealogy.tree_node t where t.tree = s.tree) then s.shift else 56 end
                returning 1""");
    }

    /**
     * The label buckets against a recount: per bucket, base plus deltas equals the tree rows' count and open-period volume;
     * and genealogy.downline_totals equals a range scan for every node (up to 400 per tree), in the open period and
     * for members only.
     */
    private static List<String> bucketViolations() {
        List<String> violations = new ArrayList<>();
        check(violations, "a tree without a bucket width", """
                select count(*) from (values (1::smallint), (2::smallint)) t(tree)
                 where not exists (select 1 from genealogy.tree_bucket_shift s where s.tree = t.tree)""");
        check(violations, "bucket base + deltas differ from a recount", """
                with o as (select coalesce((select period_key from genealogy.volume_period), 0) as key),
                actual as (
                    select t.tree, t.lo >> s.shift as bucket, count(*) as members,
                           coalesce(sum(t.pv) filter (where t.vol_period = o.key), 0) as pv, coalesce(sum(t.bv) filter (where t.vol_period = o.key), 0) as bv
                      from genealogy.tree_node t join genealogy.tree_bucket_shift s on s.tree = t.tree cross join o
                     group by 1, 2),
                stored as (
                    select tree, bucket, sum(members) as members, sum(pv) as pv, sum(bv) as bv
                      from (select b.tree, b.bucket, b.members, case when b.vol_period = o.key then b.pv else 0 end as pv,
                                   case when b.vol_period = o.key then b.bv else 0 end as bv
                              from genealogy.tree_bucket b cross join o
                            union all
                            select d.tree, d.bucket, d.d_members, case when d.vol_period = o.key then d.d_pv else 0 end,
                                   case when d.vol_period = o.key then d.d_bv else 0 end
                              from genealogy.tree_bucket_delta d cross join o) x
                     group by 1, 2)
                select count(*) from actual a full join stored s on s.tree = a.tree and s.bucket = a.bucket
                 where row(coalesce(a.members, 0), coalesce(a.pv, 0), coalesce(a.bv, 0))
                       is distinct from row(coalesce(s.members, 0), coalesce(s.pv, 0), coalesce(s.bv, 0))""");
        check(violations, "downline_totals differs from a range scan", """
                with o as (select (select period from genealogy.volume_period) as period, coalesce((select period_key from genealogy.volume_period), 0) as key),
                nodes as (select * from (select x.*, row_number() over (partition by x.tree order by x.node_id) as n from genealogy.tree_node x) x where x.n <= 400)
                select count(*) from nodes x cross join o
                 cross join lateral genealogy.downline_totals(x.tree, x.lo, x.hi, o.period) d
                 cross join lateral genealogy.downline_totals(x.tree, x.lo, x.hi, null) m
                 cross join lateral (select count(*) as members, coalesce(sum(t.pv) filter (where t.vol_period = o.key), 0) as pv,
                                            coalesce(sum(t.bv) filter (where t.vol_period = o.key), 0) as bv
                                       from genealogy.tree_node t where t.tree = x.tree and t.lo > x.lo and t.lo < x.hi) r
                 where (o.period is not null and row(d.members, d.pv, d.bv) is distinct from row(r.members, r.pv, r.bv))
                    or m.members <> r.members""");
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
