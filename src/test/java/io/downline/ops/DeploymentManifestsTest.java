package io.downline.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the deployment artefacts (k8s/ and Dockerfile). No cluster or Docker engine
 * needed: catches broken YAML, dangling references and lost hardening before they reach a cluster.
 * Paths are relative to the project root, which is Surefire's working directory.
 */
class DeploymentManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path SECRET_TEMPLATE = K8S.resolve("secret.template.yaml");
    private static final Pattern PRIVATE_KEY = Pattern.compile("BEGIN[^\\n]*PRIVATE KEY");

    /** One YAML document and the file it came from (for failure messages). */
    record Manifest(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.at("/metadata/name").asText();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + file + ")";
        }
    }

    private static List<Manifest> manifests;

    @BeforeAll
    static void parseAllManifests() throws IOException {
        assertTrue(Files.isDirectory(K8S), "k8s/ not found in " + Path.of("").toAbsolutePath());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(K8S)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no YAML files under k8s/");

        YAMLMapper mapper = new YAMLMapper();
        List<Manifest> parsed = new ArrayList<>();
        for (Path file : files) {
            // readValues iterates over every '---' separated document of the file.
            try (MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (docs.hasNextValue()) {
                    JsonNode doc = docs.nextValue();
                    if (doc == null || doc.isNull() || doc.isMissingNode()) {
                        continue; // empty document, e.g. a leading '---'
                    }
                    assertTrue(doc.isObject(), file + ": every YAML document must be a mapping, got " + doc.getNodeType());
                    parsed.add(new Manifest(file, doc));
                }
            } catch (IOException e) {
                fail("unparsable YAML in " + file + ": " + e.getMessage(), e);
            }
        }
        manifests = List.copyOf(parsed);
    }

    // ---------------------------------------------------------------- generic

    @Test
    void everyManifestHasApiVersionKindAndName() {
        for (Manifest m : manifests) {
            if (m.kind().equals("Kustomization")) {
                continue; // build config for kustomize, not an API object: has no metadata.name
            }
            assertFalse(m.doc().path("apiVersion").asText().isBlank(), m.file() + ": document without apiVersion");
            assertFalse(m.kind().isBlank(), m.file() + ": document without kind");
            assertFalse(m.name().isBlank(), m.file() + ": " + m.kind() + " without metadata.name");
        }
    }

    @Test
    void kustomizationListsExistingFilesOnly() {
        for (Manifest k : ofKind("Kustomization")) {
            for (JsonNode resource : k.doc().path("resources")) {
                Path path = k.file().resolveSibling(resource.asText());
                assertTrue(Files.exists(path), k.file() + " lists missing resource " + resource.asText());
            }
        }
    }

    // ------------------------------------------------------------- deployment

    @Test
    void probesUseTheQuarkusHealthEndpoints() {
        JsonNode api = mainContainer();
        Map<String, String> expected = Map.of(
                "startupProbe", "/q/health/started",
                "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        expected.forEach((probe, path) -> {
            JsonNode httpGet = api.path(probe).path("httpGet");
            assertFalse(httpGet.isMissingNode(), "main container needs an httpGet " + probe);
            assertEquals(path, httpGet.path("path").asText(), probe + " path");
            assertEquals(9000, resolvePort(httpGet.path("port"), api), probe + " must hit the management port 9000");
        });
    }

    @Test
    void everyContainerHasCpuAndMemoryRequestsAndLimits() {
        for (JsonNode c : allContainers()) {
            String name = c.path("name").asText();
            for (String resource : List.of("cpu", "memory")) {
                String request = c.at("/resources/requests/" + resource).asText();
                String limit = c.at("/resources/limits/" + resource).asText();
                assertFalse(request.isBlank(), "container " + name + " has no " + resource + " request");
                assertFalse(limit.isBlank(), "container " + name + " has no " + resource + " limit");
                assertTrue(quantity(request).compareTo(quantity(limit)) <= 0,
                        "container " + name + ": " + resource + " request " + request + " exceeds limit " + limit);
            }
        }
    }

    @Test
    void podAndContainersAreHardened() {
        JsonNode pod = podSpec();
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(false), "pod securityContext.runAsNonRoot must be true");
        long uid = pod.at("/securityContext/runAsUser").asLong(0);
        assertNotEquals(0L, uid, "pod securityContext.runAsUser must be a non-zero uid");
        assertEquals(uid, dockerfileUid(), "pod runAsUser should match the image's USER");

        for (JsonNode c : allContainers()) {
            String name = c.path("name").asText();
            JsonNode sc = c.path("securityContext");
            assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(false), name + ": readOnlyRootFilesystem must be true");
            assertTrue(sc.has("allowPrivilegeEscalation") && !sc.path("allowPrivilegeEscalation").asBoolean(true),
                    name + ": allowPrivilegeEscalation must be explicitly false");
            // A container-level override would silently undo the pod-level setting.
            assertTrue(sc.path("runAsNonRoot").asBoolean(true), name + ": must not set runAsNonRoot false");
            assertTrue(texts(sc.at("/capabilities/drop")).contains("ALL"), name + ": capabilities must drop ALL");
        }
    }

    @Test
    void tmpIsAWritableEmptyDirInEveryContainer() {
        Set<String> emptyDirs = StreamSupport.stream(podSpec().path("volumes").spliterator(), false)
                .filter(v -> v.has("emptyDir"))
                .map(v -> v.path("name").asText())
                .collect(Collectors.toSet());
        for (JsonNode c : allContainers()) {
            String name = c.path("name").asText();
            JsonNode tmp = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                    .filter(m -> m.path("mountPath").asText().equals("/tmp"))
                    .findFirst()
                    .orElse(null);
            // The root filesystem is read-only; the JVM and Vert.x need a scratch dir.
            assertTrue(tmp != null, name + ": no volume mounted at /tmp");
            assertTrue(emptyDirs.contains(tmp.path("name").asText()), name + ": /tmp must be an emptyDir volume");
            assertFalse(tmp.path("readOnly").asBoolean(false), name + ": /tmp must be writable");
        }
    }

    @Test
    void migrateInitContainerRunsTheSameImageWithTheMigrateArgument() {
        JsonNode api = mainContainer();
        JsonNode migrate = StreamSupport.stream(podSpec().path("initContainers").spliterator(), false)
                .filter(c -> c.path("name").asText().equals("migrate"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("Deployment has no initContainer named 'migrate'"));

        assertEquals(List.of("migrate"), texts(migrate.path("args")), "migrate initContainer args");
        // `command` would replace the image ENTRYPOINT that hands args to quarkus-run.jar.
        assertFalse(migrate.has("command"), "migrate initContainer must not override command");
        assertFalse(api.path("image").asText().isBlank(), "main container has no image");
        assertEquals(api.path("image").asText(), migrate.path("image").asText(),
                "migrations must come from the same image version that is about to serve");
        assertEquals(api.path("envFrom"), migrate.path("envFrom"), "migrate must see the same envFrom as the API");
        assertEquals(api.path("env"), migrate.path("env"), "migrate must see the same env as the API");
    }

    @Test
    void envFromAndSecretVolumesReferenceExistingObjects() {
        Set<String> configMaps = names("ConfigMap");
        Set<String> secrets = names("Secret");
        for (JsonNode c : allContainers()) {
            String name = c.path("name").asText();
            assertFalse(c.path("envFrom").isEmpty(), name + ": expected envFrom ConfigMap/Secret");
            for (JsonNode source : c.path("envFrom")) {
                if (source.has("configMapRef")) {
                    String ref = source.at("/configMapRef/name").asText();
                    assertTrue(configMaps.contains(ref), name + ": envFrom ConfigMap '" + ref + "' is not defined in k8s/");
                }
                if (source.has("secretRef")) {
                    String ref = source.at("/secretRef/name").asText();
                    assertTrue(secrets.contains(ref), name + ": envFrom Secret '" + ref + "' is not defined in k8s/");
                }
            }
        }
        for (JsonNode volume : podSpec().path("volumes")) {
            if (!volume.has("secret")) {
                continue;
            }
            String ref = volume.at("/secret/secretName").asText();
            JsonNode secret = single("Secret", ref).doc();
            for (JsonNode item : volume.at("/secret/items")) {
                String key = item.path("key").asText();
                assertTrue(secret.path("stringData").has(key) || secret.path("data").has(key),
                        "volume " + volume.path("name").asText() + " mounts key '" + key + "' missing from Secret " + ref);
            }
        }
    }

    // -------------------------------------------------- service / hpa / pdb

    @Test
    void serviceSelectsThePodsAndTargetsTheContainerPort() {
        JsonNode service = single("Service").doc();
        assertLabelsMatchPods(service.at("/spec/selector"), "Service selector");
        JsonNode ports = service.at("/spec/ports");
        assertFalse(ports.isEmpty(), "Service has no ports");
        for (JsonNode port : ports) {
            int target = resolvePort(port.has("targetPort") ? port.path("targetPort") : port.path("port"), mainContainer());
            assertEquals(8080, target, "Service port " + port.path("port").asInt() + " must target container port 8080");
        }
    }

    @Test
    void hpaScalesTheDeploymentWithinSaneBounds() {
        JsonNode hpa = single("HorizontalPodAutoscaler").doc();
        assertEquals("autoscaling/v2", hpa.path("apiVersion").asText(), "HPA apiVersion");
        JsonNode target = hpa.at("/spec/scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText(), "HPA scaleTargetRef.kind");
        assertEquals(deployment().name(), target.path("name").asText(), "HPA scaleTargetRef.name");
        int min = hpa.at("/spec/minReplicas").asInt(1);
        int max = hpa.at("/spec/maxReplicas").asInt(0);
        assertTrue(min >= 1 && min <= max, "HPA needs 1 <= minReplicas <= maxReplicas, got " + min + ".." + max);
    }

    @Test
    void pdbCoversThePodsAndStillAllowsDrains() {
        JsonNode pdb = single("PodDisruptionBudget").doc();
        JsonNode matchLabels = pdb.at("/spec/selector/matchLabels");
        assertFalse(matchLabels.isEmpty(), "PDB needs selector.matchLabels");
        assertLabelsMatchPods(matchLabels, "PDB selector");
        JsonNode spec = pdb.path("spec");
        assertTrue(spec.has("minAvailable") ^ spec.has("maxUnavailable"), "PDB needs exactly one of minAvailable/maxUnavailable");
        if (spec.path("minAvailable").isInt()) {
            int replicas = deployment().doc().at("/spec/replicas").asInt(1);
            assertTrue(spec.path("minAvailable").asInt() < replicas, "PDB minAvailable >= replicas would block every node drain");
        }
    }

    // -------------------------------------------------------------- database

    @Test
    void postgresClusterIsHighlyAvailableAndMatchesTheAppConfig() {
        Manifest cluster = single("Cluster");
        assertTrue(cluster.doc().path("apiVersion").asText().startsWith("postgresql.cnpg.io/"), "Cluster must be a CloudNativePG Cluster");
        int instances = cluster.doc().at("/spec/instances").asInt(0);
        assertTrue(instances >= 3, "CNPG Cluster needs >= 3 instances for HA, got " + instances);

        JsonNode config = single("ConfigMap").doc().path("data");
        String dbHost = config.path("DB_HOST").asText();
        String rwService = cluster.name() + "-rw";
        // Allow the short name or a qualified one (downline-db-rw.<ns>.svc...).
        assertTrue(dbHost.equals(rwService) || dbHost.startsWith(rwService + "."),
                "ConfigMap DB_HOST '" + dbHost + "' must point at the CNPG read-write service " + rwService);
        assertEquals(cluster.doc().at("/spec/bootstrap/initdb/database").asText(), config.path("DB_NAME").asText(),
                "DB_NAME must be the database bootstrapped by the Cluster");
        String ownerSecret = cluster.doc().at("/spec/bootstrap/initdb/secret/name").asText();
        if (!ownerSecret.isEmpty()) {
            single("Secret", ownerSecret); // fails if the bootstrap secret is not templated
        }
    }

    // --------------------------------------------------------------- secrets

    @Test
    void noPrivateKeyMaterialIsCommitted() throws IOException {
        assertTrue(Files.exists(SECRET_TEMPLATE), SECRET_TEMPLATE + " is missing");
        try (Stream<Path> walk = Files.walk(K8S)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertFalse(PRIVATE_KEY.matcher(text).find(), file + " contains PEM private key material");
            }
        }
        // base64 `data` would hide a key from the plain-text scan above.
        for (Manifest secret : ofKind("Secret")) {
            for (Map.Entry<String, JsonNode> e : secret.doc().path("data").properties()) {
                String decoded;
                try {
                    decoded = new String(Base64.getMimeDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException notBase64) {
                    throw new AssertionError(secret + " data." + e.getKey() + " is not valid base64 (use stringData)");
                }
                assertFalse(PRIVATE_KEY.matcher(decoded).find(), secret + " data." + e.getKey() + " holds a private key");
            }
        }
    }

    // ------------------------------------------------------------ Dockerfile

    @Test
    void dockerfileIsMultiStageNonRootAndHealthChecked() throws IOException {
        List<String> instructions = dockerInstructions();
        assertTrue(keyword(instructions, "FROM").size() >= 2, "Dockerfile must be multi-stage (>= 2 FROM)");
        assertTrue(dockerfileUid() > 0, "final USER must be a non-zero numeric uid");

        List<String> healthchecks = keyword(instructions, "HEALTHCHECK");
        assertFalse(healthchecks.isEmpty(), "Dockerfile needs a HEALTHCHECK");
        String healthcheck = healthchecks.get(healthchecks.size() - 1);
        assertFalse(healthcheck.equalsIgnoreCase("NONE"), "HEALTHCHECK must not be NONE");
        assertTrue(healthcheck.contains("/q/health/live"), "HEALTHCHECK should probe /q/health/live");

        boolean exposes8080 = keyword(instructions, "EXPOSE").stream()
                .flatMap(args -> Stream.of(args.split("\\s+")))
                .anyMatch(port -> port.equals("8080") || port.equalsIgnoreCase("8080/tcp"));
        assertTrue(exposes8080, "Dockerfile must EXPOSE 8080");

        // The migrate initContainer relies on program args reaching quarkus-run.jar.
        List<String> entrypoints = keyword(instructions, "ENTRYPOINT");
        assertFalse(entrypoints.isEmpty(), "Dockerfile needs an ENTRYPOINT");
        String entrypoint = entrypoints.get(entrypoints.size() - 1);
        assertTrue(entrypoint.contains("quarkus-run.jar") && entrypoint.contains("$@"),
                "ENTRYPOINT must run quarkus-run.jar and forward \"$@\": " + entrypoint);
    }

    // --------------------------------------------------------------- helpers

    private static List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static Set<String> names(String kind) {
        return ofKind(kind).stream().map(Manifest::name).collect(Collectors.toSet());
    }

    private static Manifest single(String kind) {
        List<Manifest> found = ofKind(kind);
        assertEquals(1, found.size(), "expected exactly one " + kind + " in k8s/, found " + found);
        return found.get(0);
    }

    private static Manifest single(String kind, String name) {
        return ofKind(kind).stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + " '" + name + "' is referenced but not defined in k8s/"));
    }

    private static Manifest deployment() {
        return single("Deployment");
    }

    private static JsonNode podSpec() {
        return deployment().doc().at("/spec/template/spec");
    }

    private static JsonNode mainContainer() {
        JsonNode containers = podSpec().path("containers");
        assertFalse(containers.isEmpty(), "Deployment has no containers");
        return containers.get(0);
    }

    /** Init containers first, then regular ones; never empty. */
    private static List<JsonNode> allContainers() {
        mainContainer(); // asserts there is at least one container
        List<JsonNode> all = new ArrayList<>();
        podSpec().path("initContainers").forEach(all::add);
        podSpec().path("containers").forEach(all::add);
        return all;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Every label in {@code selector} must be on the pod template, or it selects nothing. */
    private static void assertLabelsMatchPods(JsonNode selector, String what) {
        assertFalse(selector.isEmpty(), what + " is empty");
        JsonNode podLabels = deployment().doc().at("/spec/template/metadata/labels");
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            assertEquals(e.getValue().asText(), podLabels.path(e.getKey()).asText(null),
                    what + " label " + e.getKey() + " does not match the Deployment's pod labels");
        }
    }

    /** Resolves a numeric or named port against the container's ports. */
    private static int resolvePort(JsonNode port, JsonNode container) {
        if (port.isInt()) {
            return port.asInt();
        }
        String name = port.asText();
        if (name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("port '" + name + "' is not a named port of container " + container.path("name").asText());
    }

    /** Kubernetes resource quantity (e.g. 500m, 2, 512Mi, 1G) as a plain number. */
    private static BigDecimal quantity(String q) {
        Matcher m = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-zA-Z]*)").matcher(q.trim());
        assertTrue(m.matches(), "not a Kubernetes quantity: " + q);
        BigDecimal factor = switch (m.group(2)) {
            case "" -> BigDecimal.ONE;
            case "m" -> new BigDecimal("0.001");
            case "k" -> BigDecimal.TEN.pow(3);
            case "M" -> BigDecimal.TEN.pow(6);
            case "G" -> BigDecimal.TEN.pow(9);
            case "Ki" -> BigDecimal.valueOf(1L << 10);
            case "Mi" -> BigDecimal.valueOf(1L << 20);
            case "Gi" -> BigDecimal.valueOf(1L << 30);
            case "Ti" -> BigDecimal.valueOf(1L << 40);
            default -> throw new AssertionError("unsupported quantity suffix in " + q);
        };
        return new BigDecimal(m.group(1)).multiply(factor);
    }

    /** Dockerfile instructions with line continuations joined and comments dropped. */
    private static List<String> dockerInstructions() throws IOException {
        assertTrue(Files.exists(DOCKERFILE), "Dockerfile not found in " + Path.of("").toAbsolutePath());
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(line).toString().strip());
            current.setLength(0);
        }
        if (current.length() > 0) {
            instructions.add(current.toString().strip());
        }
        return instructions;
    }

    /** Arguments of every instruction with the given keyword, in order. */
    private static List<String> keyword(List<String> instructions, String keyword) {
        return instructions.stream()
                .map(i -> i.split("\\s+", 2))
                .filter(parts -> parts[0].toUpperCase(Locale.ROOT).equals(keyword))
                .map(parts -> parts.length > 1 ? parts[1].strip() : "")
                .toList();
    }

    /** Numeric uid of the last USER instruction (the one the container runs as). */
    private static long dockerfileUid() {
        try {
            List<String> users = keyword(dockerInstructions(), "USER");
            assertFalse(users.isEmpty(), "Dockerfile has no USER instruction: the image would run as root");
            String user = users.get(users.size() - 1).split(":", 2)[0];
            // A numeric uid lets Kubernetes verify runAsNonRoot without /etc/passwd.
            assertTrue(user.matches("\\d+"), "Dockerfile USER must be numeric, got '" + user + "'");
            return Long.parseLong(user);
        } catch (IOException e) {
            throw new AssertionError("cannot read Dockerfile", e);
        }
    }
}
